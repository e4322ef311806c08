const WINDOW_MS = 1000;

/**
 * The window is treated as this much longer than a second. Writes are
 * stamped here, arrivals by the server, and the server stamps some later
 * than others: against the sandbox, with 1 ms of margin, the worst second
 * held rate + 1 requests at every rate from 55 to 60 (a new connection or
 * a busy event loop delays a stamp by a few ms). 10 ms absorbed that, at a
 * cost of 1 % of the rate when the guard binds. Jitter on the way to the
 * real platform is larger: that is what a rate below the limit is for.
 */
const EDGE_MARGIN_MS = 10;

/**
 * The hard guard behind the pacer: never more than `limit` requests written
 * to the network within any sliding 1000 ms window. An even schedule alone
 * is not enough: timers fire late and then early, and an even 60/s schedule
 * was seen to put 61 requests into one window (notes/push.md).
 *
 * It counts the moment a request is written to its socket, not the moment
 * the pacer starts it: a request that first waits for a new connection (a
 * TLS handshake, say) leaves later, and stamping its start would let the
 * next window's requests crowd in behind it. A started request not yet
 * written counts as if written now, because it will be written at some
 * time from now on.
 *
 * Why that holds for every window: take the last-started request in any
 * window. When it started, each other request in that window was either
 * written within the previous second or still pending, and both were
 * counted, so the window holds at most `limit`.
 */
export class SendWindow {
  readonly #limit: number;
  /** Write times, oldest first; writes happen in time order. */
  readonly #written: number[] = [];
  #oldestIndex = 0;
  #pendingCount = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * The earliest time at which one more request keeps to the limit, or
   * Infinity while started requests alone fill it (a write or an answer
   * will tell more).
   */
  nextAllowedAt(now: number): number {
    this.#dropOlderThan(now - WINDOW_MS - EDGE_MARGIN_MS);
    const writtenCount = this.#written.length - this.#oldestIndex;
    const excess = writtenCount + this.#pendingCount - this.#limit + 1;
    if (excess <= 0) return now;
    if (excess > writtenCount) return Number.POSITIVE_INFINITY;
    // The excess oldest writes must leave the window first.
    const leaving = this.#written[this.#oldestIndex + excess - 1]!;
    return Math.max(now, leaving + WINDOW_MS + EDGE_MARGIN_MS);
  }

  /** Requests written after `time` (at most one window ago). */
  writtenSince(time: number): number {
    let count = 0;
    for (
      let index = this.#written.length - 1;
      index >= this.#oldestIndex;
      index -= 1
    ) {
      if (this.#written[index]! <= time) break;
      count += 1;
    }
    return count;
  }

  /** A request was started and will be written soon. */
  recordStart(): void {
    this.#pendingCount += 1;
  }

  /** A started request was written to its socket at `time`. */
  recordWritten(time: number): void {
    this.#pendingCount -= 1;
    this.#written.push(time);
  }

  /** A started request failed before it was written (say, refused). */
  recordNeverWritten(): void {
    this.#pendingCount -= 1;
  }

  #dropOlderThan(cutoff: number): void {
    while (
      this.#oldestIndex < this.#written.length &&
      this.#written[this.#oldestIndex]! <= cutoff
    ) {
      this.#oldestIndex += 1;
    }
    // Compact now and then, so the array does not grow for ever.
    const isMostlyDropped = this.#oldestIndex * 2 > this.#written.length;
    if (this.#oldestIndex > 1024 && isMostlyDropped) {
      this.#written.splice(0, this.#oldestIndex);
      this.#oldestIndex = 0;
    }
  }
}
