import { SendWindow } from './send-window.js';

/**
 * Lateness the schedule makes up by sending at once. A timer that fires a
 * few ms late, or a busy event loop at high rates, is caught up; anything
 * longer is a stall and the schedule starts again from now.
 */
const MAX_CATCH_UP_MS = 20;

/**
 * After a 429 the rate comes back in two steps. The platform's algorithm
 * is unknown (notes/push.md), and the limit may be lower than documented
 * (another sender on the same address, a stricter server), so the pacer
 * learns it: each new 429 sets a ceiling at 90 % of the requests written
 * in the second before it (never below 10 % of the configured rate)…
 */
const DECREASE_SHARE = 0.9;
const MIN_CEILING_SHARE = 0.1;
/** …sending resumes at 80 % of that ceiling and reaches it over 2 s… */
const RAMP_START_SHARE = 0.8;
const RAMP_MS = 2000;
/**
 * …then climbs by 0.35 % of the configured rate per second: from 57/s,
 * 0.2/s more each second. Slow on purpose: a server that allows 30/s is
 * probed again only every 15 s or so, and each probe costs a second of
 * silence; a server that allows 60/s after a one-off 429 at 57/s is back
 * at full rate within a minute.
 */
const CLIMB_SHARE_PER_SECOND = 0.0035;

/** What a pause knows about the answer that caused it. */
export interface PauseCause {
  /** When the answered request was started; default: now. */
  sentAt?: number;
  /**
   * Requests written in the second before the 429, which is about what the
   * server counted. Omitted: the schedule's own rate is used.
   */
  writtenLastSecond?: number;
  /**
   * False for a pause that is not about the rate (a server failing in an
   * outage): sending holds, but the learned ceiling stays. Default true.
   */
  lowersRate?: boolean;
}

/**
 * The send schedule: an open schedule, slot i due at t0 + i / rate, as k6's
 * constant-arrival-rate executor and vegeta's pacer do. Slots are not tied
 * to answers, so a slow server does not lower the rate while requests in
 * flight stay under the caller's cap.
 *
 * Unlike vegeta it never bursts to catch up: after a stall (no job ready,
 * the in-flight cap reached, a pause) the schedule is re-anchored at the
 * moment sending can resume. A `SendWindow` adds a hard limit of
 * floor(rate) requests written in any sliding second.
 *
 * All times are `performance.now()` milliseconds, passed in by the caller,
 * which keeps the pacer free of clocks and timers and easy to test.
 */
export class Pacer {
  readonly #rate: number;
  readonly #window: SendWindow;
  #nextDueAt = Number.NEGATIVE_INFINITY;
  #isStalled = true;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #rampStartAt = Number.NEGATIVE_INFINITY;
  #ceilingRate: number;

  /** `rate` is in sends per second and must be above 0. */
  constructor(rate: number) {
    this.#rate = rate;
    this.#ceilingRate = rate;
    this.#window = new SendWindow(Math.max(1, Math.floor(rate)));
  }

  /**
   * Ms until the next send may start; 0 means it may start now. Infinity
   * means requests started but not yet written fill the window: wait for
   * an answer.
   */
  waitTime(now: number): number {
    if (this.#isStalled || this.#nextDueAt < now - MAX_CATCH_UP_MS) {
      // Only ever forwards: a stall must not make the next slot earlier.
      this.#nextDueAt = Math.max(this.#nextDueAt, now);
      this.#isStalled = false;
    }
    const allowedAt = this.#window.nextAllowedAt(now);
    return Math.max(0, this.#nextDueAt - now, allowedAt - now);
  }

  /** Takes the current slot. Call only after `waitTime(now)` returned 0. */
  recordSend(now: number): void {
    this.#window.recordStart();
    const slotAt = Math.max(this.#nextDueAt, now - MAX_CATCH_UP_MS);
    this.#nextDueAt = slotAt + 1000 / this.rateAt(slotAt);
  }

  /** The request of an earlier `recordSend` was written to its socket. */
  recordWritten(time: number): void {
    this.#window.recordWritten(time);
  }

  /** The request of an earlier `recordSend` failed before it was written. */
  recordNeverWritten(): void {
    this.#window.recordNeverWritten();
  }

  /** Requests written in the last second, for telling what drew a 429. */
  writtenInLastSecond(now: number): number {
    return this.#window.writtenSince(now - 1000);
  }

  /**
   * Sending stopped for a reason other than the schedule: nothing to send,
   * or every in-flight slot taken. The next send re-anchors the schedule.
   */
  markStalled(): void {
    this.#isStalled = true;
  }

  /**
   * Holds every send for `durationMs`, then ramps back up (see the
   * constants above). A longer pause wins over a shorter one. A 429 for a
   * request sent before the last pause ended belongs to that pause and
   * lowers nothing further. Returns whether the pause now ends later.
   */
  pause(now: number, durationMs: number, cause: PauseCause = {}): boolean {
    const { sentAt = now, writtenLastSecond, lowersRate = true } = cause;
    if (lowersRate && !this.isPaused(now) && sentAt >= this.#pausedUntil) {
      const current = this.rateAt(now);
      const accepted =
        writtenLastSecond !== undefined && writtenLastSecond > 0
          ? Math.min(current, writtenLastSecond)
          : current;
      const floor = this.#rate * MIN_CEILING_SHARE;
      this.#ceilingRate = Math.max(floor, accepted * DECREASE_SHARE);
    }
    const until = now + durationMs;
    const isExtended = until > this.#pausedUntil;
    if (isExtended) {
      this.#pausedUntil = until;
      this.#rampStartAt = until;
    }
    this.#nextDueAt = Math.max(this.#nextDueAt, this.#pausedUntil);
    this.#isStalled = true;
    return isExtended;
  }

  isPaused(now: number): boolean {
    return now < this.#pausedUntil;
  }

  /** Ms until the current pause ends; 0 when not paused. */
  pauseRemaining(now: number): number {
    return Math.max(0, this.#pausedUntil - now);
  }

  /** The rate the schedule follows at `time`, lower after a 429. */
  rateAt(time: number): number {
    const elapsed = Math.max(0, time - this.#rampStartAt);
    const ceiling = this.#ceilingRate;
    if (elapsed < RAMP_MS) {
      const progress = elapsed / RAMP_MS;
      return ceiling * (RAMP_START_SHARE + (1 - RAMP_START_SHARE) * progress);
    }
    const climbSeconds = (elapsed - RAMP_MS) / 1000;
    const climb = climbSeconds * CLIMB_SHARE_PER_SECOND * this.#rate;
    return Math.min(this.#rate, ceiling + climb);
  }
}
