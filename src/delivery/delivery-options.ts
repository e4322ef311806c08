import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { DeliveryEvent } from './delivery-outcome.js';

/** The default for `maxWaitMs`: a platform down this long is not a blip. */
export const DEFAULT_MAX_WAIT_MS = 10 * 60 * 1000;

export interface DeliveryOptions<T = unknown> {
  /** The ingest URL, http: or https:. */
  url: string;
  /** Sent only in the X-Webhook-Secret header. */
  secret: string;
  /** Requests started per second; above 0. */
  rate: number;
  /**
   * Most requests awaiting an answer at once (and so most connections).
   * Default: ceil(rate × 3 s) between 8 and 64. By Little's law the rate
   * holds while answers take under maxInFlight / rate seconds: at 20/s
   * answers of up to 3 s, where a 1 s budget held only 13/s against a
   * server answering in 1.5 s. Above 64, extra connections cost both ends
   * more than they bring (measured against the sandbox), so at 57/s the
   * budget is 1.1 s; callers pushing faster can raise it.
   */
  maxInFlight?: number;
  /** Attempts per job for 5xx answers and connection errors. Default 5. */
  maxAttempts?: number;
  /** A job answered 429 more often than this fails. Default 10. */
  maxRateLimited?: number;
  /** For connecting, for the answer's headers, for body gaps. Default 30 s. */
  timeoutMs?: number;
  /**
   * Stop the run after only failures (5xx, 408, connection errors) for this
   * long. Default `DEFAULT_MAX_WAIT_MS`.
   */
  maxWaitMs?: number;
  /**
   * Retry a request that was written and then timed out or was reset, as
   * if nothing had reached the server. Default false: such a job ends
   * `uncertain`, because a second copy may create a duplicate lead.
   */
  resendUncertain?: boolean;
  /** Full-jitter backoff between retries. Default 500 ms base, 30 s cap. */
  backoff?: BackoffOptions;
  /**
   * Jobs waiting to be sent (queued or waiting to retry) before `submit()`
   * makes the producer wait. Default max(256, 2 × maxInFlight): at 57/s
   * that is 4 s of work; at unlimited rates a longer queue only keeps
   * more jobs alive long enough to reach the old generation (1024 cost
   * a million-row push 55 MB of peak memory in `npm run bench`).
   */
  bufferSize?: number;
  onEvent?: (event: DeliveryEvent<T>) => void;
  /**
   * Runs before each attempt's request is written; the request waits for
   * it. A journal records "sending" here, durably. A rejection stops the
   * run (`before_send_failed`) and the job is unsent.
   */
  beforeSend?: (context: T) => Promise<void>;
  /**
   * An attempt ended and the server surely kept nothing (5xx, 429, a
   * connection that never carried the request); the job will be tried
   * again or reported unsent.
   */
  onNotStored?: (context: T) => void;
}

type CallerHooks = 'onEvent' | 'beforeSend' | 'onNotStored';

export type ResolvedDeliveryOptions<T> = Required<
  Omit<DeliveryOptions<T>, CallerHooks>
> &
  Pick<DeliveryOptions<T>, CallerHooks>;

const MIN_IN_FLIGHT = 8;
const MAX_DEFAULT_IN_FLIGHT = 64;

/**
 * Fills in the defaults and checks the values. These are programming
 * errors by the time they get here (the command validates user input), so
 * they throw plain RangeErrors; no message ever includes the secret.
 */
export function resolveDeliveryOptions<T>(
  options: DeliveryOptions<T>,
): ResolvedDeliveryOptions<T> {
  verifyTarget(options.url, options.secret);
  verifyPositive('rate', options.rate);

  const maxInFlight = options.maxInFlight ?? defaultMaxInFlight(options.rate);
  const resolved: ResolvedDeliveryOptions<T> = {
    url: options.url,
    secret: options.secret,
    rate: options.rate,
    maxInFlight,
    maxAttempts: options.maxAttempts ?? 5,
    maxRateLimited: options.maxRateLimited ?? 10,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
    resendUncertain: options.resendUncertain ?? false,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    bufferSize: options.bufferSize ?? Math.max(256, 2 * maxInFlight),
    onEvent: options.onEvent,
    beforeSend: options.beforeSend,
    onNotStored: options.onNotStored,
  };
  for (const name of ['maxInFlight', 'maxAttempts', 'bufferSize'] as const) {
    verifyWholeNumber(name, resolved[name], 1);
  }
  verifyWholeNumber('maxRateLimited', resolved.maxRateLimited, 0);
  verifyPositive('timeoutMs', resolved.timeoutMs);
  verifyPositive('maxWaitMs', resolved.maxWaitMs);
  return resolved;
}

/** How slow an answer may be before it holds back the default rate. */
const ANSWER_BUDGET_SECONDS = 3;

function defaultMaxInFlight(rate: number): number {
  const sendsInBudget = Math.ceil(rate * ANSWER_BUDGET_SECONDS);
  return Math.min(
    MAX_DEFAULT_IN_FLIGHT,
    Math.max(MIN_IN_FLIGHT, sendsInBudget),
  );
}

function verifyTarget(url: string, secret: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new RangeError('The delivery URL must be an http: or https: URL.');
  }
  // A header value may not hold control characters; undici would throw on
  // every request. The value itself stays out of the message.
  if (secret === '' || /[\u0000-\u001f\u007f]/.test(secret)) {
    throw new RangeError(
      'The webhook secret is empty or contains a control character such as a line break.',
    );
  }
}

function verifyPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a number above 0, not ${value}.`);
  }
}

function verifyWholeNumber(name: string, value: number, minimum: number): void {
  if (!(Number.isInteger(value) && value >= minimum)) {
    throw new RangeError(
      `${name} must be a whole number of at least ${minimum}, not ${value}.`,
    );
  }
}
