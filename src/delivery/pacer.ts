import { SendWindow } from './send-window.js';

/**
 * Lateness the schedule makes up by sending at once. A timer that fires a
 * few ms late, or a busy event loop at high rates, is caught up; anything
 * longer is a stall and the schedule starts again from now.
 */
const MAX_CATCH_UP_MS = 20;

/**
 * After a 429 the rate comes back in three steps. The platform's algorithm
 * is unknown (notes/push.md), so the engine also learns from it: each new
 * pause lowers a ceiling to 80 % of the rate that drew the 429 (never
 * below 10 % of the configured rate)…
 */
const DECREASE_SHARE = 0.8;
const MIN_CEILING_SHARE = 0.1;
/** …sending resumes at half that ceiling and climbs to it over 4 s… */
const RAMP_START_SHARE = 0.5;
const RAMP_MS = 4000;
/** …then climbs back to the configured rate over the next 30 s. */
const RECOVERY_MS = 30_000;

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
  pause(now: number, durationMs: number, sentAt: number = now): boolean {
    if (!this.isPaused(now) && sentAt >= this.#pausedUntil) {
      const floor = this.#rate * MIN_CEILING_SHARE;
      this.#ceilingRate = Math.max(floor, this.rateAt(now) * DECREASE_SHARE);
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
    const recovery = Math.min(1, (elapsed - RAMP_MS) / RECOVERY_MS);
    return ceiling + (this.#rate - ceiling) * recovery;
  }
}
