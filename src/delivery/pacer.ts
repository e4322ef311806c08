import { SendWindow } from './send-window.js';

/**
 * Lateness the schedule makes up by sending at once. A timer that fires a
 * few ms late, or a busy event loop at high rates, is caught up; anything
 * longer is a stall and the schedule starts again from now.
 */
const MAX_CATCH_UP_MS = 20;

/** After a 429 pause, sending resumes at this share of the rate… */
const RAMP_START_SHARE = 0.5;
/** …and climbs back to the full rate linearly over this long. */
const RAMP_MS = 4000;

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

  /** `rate` is in sends per second and must be above 0. */
  constructor(rate: number) {
    this.#rate = rate;
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

  /**
   * Sending stopped for a reason other than the schedule: nothing to send,
   * or every in-flight slot taken. The next send re-anchors the schedule.
   */
  markStalled(): void {
    this.#isStalled = true;
  }

  /**
   * Holds every send for `durationMs`, then resumes at half the rate and
   * ramps back to full. A longer pause wins over a shorter one. Returns
   * whether this call made the pause end later.
   */
  pause(now: number, durationMs: number): boolean {
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

  /** The rate the schedule follows at `time`, lower while ramping up. */
  rateAt(time: number): number {
    const elapsed = time - this.#rampStartAt;
    if (elapsed >= RAMP_MS) return this.#rate;
    const progress = Math.max(0, elapsed) / RAMP_MS;
    return this.#rate * (RAMP_START_SHARE + (1 - RAMP_START_SHARE) * progress);
  }
}
