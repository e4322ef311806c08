/**
 * Sliding one-second windows over arrival times, for the per-address rate
 * limit of the receiving side (the sandbox and `listen`) and for the
 * sandbox's "most requests in any second" figure.
 *
 * The delivery engine has its own guard (src/delivery/send-window.ts). The
 * receivers deliberately do not share that code: the sandbox is the referee
 * that checks the engine, so it measures with an independent implementation.
 *
 * A window is the half-open interval (t - 1000 ms, t]: a request that
 * arrived exactly 1000 ms before another is no longer counted with it.
 */
export const WINDOW_MS = 1000;

/**
 * A first-in, first-out list of timestamps backed by a growable ring, so
 * that a million arrivals cost no allocation per request.
 */
class TimestampRing {
  #items = new Float64Array(64);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  oldest(): number {
    return this.#items[this.#head] ?? Number.NaN;
  }

  push(time: number): void {
    if (this.#length === this.#items.length) this.#grow();
    const tail = (this.#head + this.#length) % this.#items.length;
    this.#items[tail] = time;
    this.#length += 1;
  }

  shift(): void {
    this.#head = (this.#head + 1) % this.#items.length;
    this.#length -= 1;
  }

  dropOlderThan(windowStart: number): void {
    while (this.#length > 0 && this.oldest() <= windowStart) this.shift();
  }

  #grow(): void {
    const larger = new Float64Array(this.#items.length * 2);
    for (let offset = 0; offset < this.#length; offset += 1) {
      larger[offset] = this.#items[(this.#head + offset) % this.#items.length]!;
    }
    this.#items = larger;
    this.#head = 0;
  }
}

/** Tracks the largest number of arrivals seen in any one-second window. */
export class PeakWindowCounter {
  #arrivals = new TimestampRing();
  #peak = 0;

  get peak(): number {
    return this.#peak;
  }

  add(time: number): void {
    this.#arrivals.dropOlderThan(time - WINDOW_MS);
    this.#arrivals.push(time);
    if (this.#arrivals.length > this.#peak) this.#peak = this.#arrivals.length;
  }
}

/**
 * Per-address sliding-window log. It keeps at most `limit` timestamps per
 * address, which is all it takes to tell whether `limit` requests already
 * arrived in the last second.
 */
export class RateLimitWindow {
  readonly #limit: number;
  readonly #logs = new Map<string, TimestampRing>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  isOverLimit(address: string, time: number): boolean {
    const log = this.#logs.get(address);
    if (!log) return false;
    log.dropOlderThan(time - WINDOW_MS);
    return log.length >= this.#limit;
  }

  record(address: string, time: number): void {
    let log = this.#logs.get(address);
    if (!log) {
      log = new TimestampRing();
      this.#logs.set(address, log);
    }
    log.dropOlderThan(time - WINDOW_MS);
    if (log.length >= this.#limit) log.shift();
    log.push(time);
  }
}
