import type { StopKind } from './delivery-outcome.js';
import { describeServerWords, describeStatus } from './describe.js';
import { MAX_ANSWER_BYTES, type HttpAnswer } from './http-sender.js';
import { parseRetryAfter } from './retry-after.js';

/** Pause when a 429 carries no Retry-After, or one we cannot read. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1000;

/**
 * The longest pause one 429 can cause, however long its Retry-After. A
 * `Retry-After: 999999` would otherwise stall the run, silently, for 11
 * days. A server that still wants quiet after 5 minutes says so again: the
 * next request gets a new 429 and a new Retry-After, so a long pause is
 * served in 5-minute chunks, each one a chance for the server to have
 * recovered and for the user to see what is happening.
 */
export const MAX_RATE_LIMIT_PAUSE_MS = 5 * 60 * 1000;

const SUCCESS_BODY = '{"status":"success"}';
const MAX_ANSWER_KIB = MAX_ANSWER_BYTES / 1024;

/**
 * `{"status":"success"` as the first member of the body, with any spacing,
 * followed by another member or the end of the object.
 */
const SUCCESS_OPENING_PATTERN = /^\s*\{\s*"status"\s*:\s*"success"\s*[,}]/;

/** What the delivery queue does with one answer. */
export type Verdict =
  | { action: 'deliver' }
  | { action: 'reject'; status: number; detail: string }
  | {
      action: 'stop';
      kind: StopKind;
      status: number;
      detail: string;
      /** A 2xx: the server may have stored this lead before answering. */
      mayBeStored: boolean;
    }
  | { action: 'pause'; pauseMs: number }
  | { action: 'retry'; detail: string; retryAfterMs: number | undefined };

const DELIVER: Verdict = { action: 'deliver' };

/**
 * Maps an answer to a verdict, following the contract's status table:
 * 200 with `{"status":"success"}` is delivered; 401 and 415 mean every
 * request will fail the same way, so the run stops; 429 pauses everyone;
 * 5xx is retried; any other 4xx is this lead's problem.
 */
export function classifyAnswer(answer: HttpAnswer, now = Date.now()): Verdict {
  const { status, text } = answer;
  if (status >= 200 && status < 300) return classifySuccess(answer);
  if (status === 429) {
    const pauseMs = parseRetryAfter(answer.retryAfter, now);
    return {
      action: 'pause',
      pauseMs: Math.min(
        pauseMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS,
        MAX_RATE_LIMIT_PAUSE_MS,
      ),
    };
  }
  if (status === 401 || status === 415) {
    const kind = status === 401 ? 'unauthorized' : 'unsupported_media_type';
    const detail = describeServerWords(text);
    return { action: 'stop', kind, status, detail, mayBeStored: false };
  }
  // 408 means the server gave up waiting for our request: a timeout like
  // any other, so it is retried with the 5xx answers.
  if (status === 408 || status >= 500) {
    return {
      action: 'retry',
      detail: describeStatus(status, text),
      retryAfterMs: parseRetryAfter(answer.retryAfter, now),
    };
  }
  if (status >= 400) {
    return { action: 'reject', status, detail: describeServerWords(text) };
  }
  // 1xx and 3xx: undici follows no redirect, and a POST should not be
  // replayed to another address without the user knowing.
  return {
    action: 'stop',
    kind: 'unexpected_answer',
    status,
    detail: `The server answered ${describeStatus(status, text)}, which is not in AstraDial's contract. Check the URL.`,
    mayBeStored: false,
  };
}

/**
 * A 2xx answer is delivered only with `{"status":"success"}`. A body cut
 * at the sender's cap cannot be parsed, so it counts as success when
 * `"status":"success"` is its first member: the server said so before
 * anything else, and only a later duplicate `status` key, which JSON
 * leaves undefined, could say otherwise. A cut body that does not open
 * that way is not guessed at: it fails, and the detail says why.
 */
function classifySuccess(answer: HttpAnswer): Verdict {
  const { status, text, isTruncated } = answer;
  if (isSuccessBody(text)) return DELIVER;
  if (isTruncated && SUCCESS_OPENING_PATTERN.test(text)) return DELIVER;

  // Not retried, and the run stops: the server may well have stored the
  // lead, and an answer outside the contract (a captive portal's page, a
  // proxy's) will most likely come for every other lead too.
  const words = describeServerWords(text);
  const what = isTruncated
    ? `with a body over ${MAX_ANSWER_KIB} KB that does not start with {"status":"success"}, so it was not read to the end`
    : 'without {"status":"success"}';
  const detail = `The server answered ${status} ${what}: ${words}. A proxy or a Wi-Fi login page may be answering instead of AstraDial.`;
  return {
    action: 'stop',
    kind: 'unexpected_answer',
    status,
    detail,
    mayBeStored: true,
  };
}

/** True for `{"status":"success"}`, with any spacing or extra keys. */
export function isSuccessBody(text: string): boolean {
  if (text === SUCCESS_BODY) return true;
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { status?: unknown }).status === 'success'
    );
  } catch {
    return false;
  }
}
