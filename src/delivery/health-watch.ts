/** Failures in a row, with no healthy answer between, that mean an outage. */
export const OUTAGE_FAILURES_IN_ROW = 3;

/**
 * Tells a server that is down from one that dislikes a lead. An answer
 * other than 5xx or 408 (429 included: a server that rate-limits is up)
 * is healthy; a 5xx, 408 or connection failure is not.
 *
 * - `OUTAGE_FAILURES_IN_ROW` failures in a row mean an outage: the caller
 *   pauses all sending instead of hammering a server that is down, so few
 *   leads use up their attempts on it.
 * - Failing for longer than `maxWaitMs` since the last healthy answer (or
 *   the start) means the caller should stop and let a later run resume.
 */
export class HealthWatch {
  readonly #maxWaitMs: number;
  #healthyAt: number;
  #hasAnswered = false;
  #failuresInRow = 0;

  constructor(maxWaitMs: number, now: number) {
    this.#maxWaitMs = maxWaitMs;
    this.#healthyAt = now;
  }

  /** Whether the server answered at least once, healthily, in this run. */
  get hasAnswered(): boolean {
    return this.#hasAnswered;
  }

  get failuresInRow(): number {
    return this.#failuresInRow;
  }

  recordHealthy(now: number): void {
    this.#healthyAt = now;
    this.#hasAnswered = true;
    this.#failuresInRow = 0;
  }

  recordFailure(): void {
    this.#failuresInRow += 1;
  }

  isOutage(): boolean {
    return this.#failuresInRow >= OUTAGE_FAILURES_IN_ROW;
  }

  /** Ms of failures only, since the last healthy answer or the start. */
  unhealthyFor(now: number): number {
    return this.#failuresInRow === 0 ? 0 : now - this.#healthyAt;
  }

  hasWaitedTooLong(now: number): boolean {
    return this.unhealthyFor(now) > this.#maxWaitMs;
  }
}
