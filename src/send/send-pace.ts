import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';

/**
 * Events per second for trigger --count and replay. A receiver being
 * built on a laptop, or listen with its default --rate-limit of 60, takes
 * 10 a second without strain, and a day's capture of a few hundred events
 * still replays within a minute.
 */
export const DEFAULT_SEND_RATE = 10;

/** The least --rate: one event every 100 s, as the config's rate allows. */
const MIN_SEND_RATE = 0.01;

/** Time for each answer. A receiver should answer AstraDial within 5 s. */
const DEFAULT_SEND_TIMEOUT = '10s';

/** trigger's and replay's --rate, checked; `command` names who refuses it. */
export function parseSendRate(
  rate: number | undefined,
  command: 'trigger' | 'replay',
): number {
  const value = rate ?? DEFAULT_SEND_RATE;
  if (Number.isFinite(value) && value >= MIN_SEND_RATE) return value;
  throw new UsageError(
    'usage.invalidNumber',
    `--rate ${value} is not a pace ${command} can keep. Give events per second, at least ${MIN_SEND_RATE}: --rate 5, or --rate 0.5 for one every 2 seconds.`,
  );
}

/** trigger's and replay's --timeout in milliseconds. */
export function parseSendTimeout(timeout: string | undefined): number {
  return parseDuration(timeout ?? DEFAULT_SEND_TIMEOUT, '--timeout');
}
