export interface BackoffOptions {
  /** Upper bound of the first delay, in ms. */
  baseMs: number;
  /** No delay is ever longer than this, in ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/**
 * Full-jitter exponential backoff: a uniformly random delay between 0 and
 * min(cap, base × 2^retry). Randomising the whole range, not just a margin,
 * spreads the retries of many failed requests apart instead of sending them
 * back together (AWS Architecture Blog, "Exponential Backoff and Jitter").
 *
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return random() * ceiling;
}
