/**
 * Per-address fixed-window counter: requests are counted per whole
 * wall-clock second, `Math.floor(time / 1000)`, and the count starts again
 * at zero when the second changes.
 *
 * This is a harsher, burstier server than AstraDial documents: a client
 * that spreads its requests evenly never notices, but `limit` requests at
 * the end of one second followed by `limit` at the start of the next all
 * pass, while a client that bunches up early in a second is throttled until
 * the second ends. It lets tests check that the client adapts to whichever
 * algorithm the real server uses; the sliding window in
 * src/webhook/sliding-window.ts stays the model of the documented limit.
 */
const SECOND_MS = 1000;

type SecondCount = { second: number; count: number };

export class FixedRateLimitWindow {
  readonly #limit: number;
  readonly #counts = new Map<string, SecondCount>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** `time` is in ms since the Unix epoch. */
  isOverLimit(address: string, time: number): boolean {
    const current = this.#counts.get(address);
    if (!current || current.second !== toSecond(time)) return false;
    return current.count >= this.#limit;
  }

  /** `time` is in ms since the Unix epoch. */
  record(address: string, time: number): void {
    const second = toSecond(time);
    const current = this.#counts.get(address);
    if (current && current.second === second) {
      current.count += 1;
      return;
    }
    this.#counts.set(address, { second, count: 1 });
  }
}

function toSecond(time: number): number {
  return Math.floor(time / SECOND_MS);
}
