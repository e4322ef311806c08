import { performance } from 'node:perf_hooks';

import { backoffDelay } from './backoff.js';
import { classifyAnswer, type Verdict } from './classify-answer.js';
import { classifyConnectionFailure } from './connection-failure.js';
import {
  resolveDeliveryOptions,
  type DeliveryOptions,
  type ResolvedDeliveryOptions,
} from './delivery-options.js';
import type {
  DeliveryEvent,
  DeliveryJob,
  DeliveryOutcome,
  FailureReason,
  StopReason,
} from './delivery-outcome.js';
import { Deque } from './deque.js';
import { redactSecret } from './describe.js';
import { HealthWatch } from './health-watch.js';
import { HttpSender, type HttpAnswer } from './http-sender.js';
import {
  MAX_TIMER_DELAY_MS,
  startLongTimer,
  type CancelTimer,
} from './long-timer.js';
import { Pacer } from './pacer.js';

export type { DeliveryOptions } from './delivery-options.js';
export type {
  DeliveryEvent,
  DeliveryJob,
  DeliveryOutcome,
  FailureReason,
  StopKind,
  StopReason,
} from './delivery-outcome.js';

export type DeliveryStats = {
  /** Waiting for a send slot, retries due included. */
  queued: number;
  /** Waiting out a backoff before their next attempt. */
  retrying: number;
  /** Sent and not yet answered. */
  inFlight: number;
  /** Requests started, retries included. */
  sent: number;
  delivered: number;
  rejected: number;
  failed: number;
  uncertain: number;
  /** Never delivered because the run stopped; see `unsent()`. */
  unsent: number;
  /** A 429 has paused all sending. */
  isPaused: boolean;
  /** Ms until that pause ends, for "paused 42 s (429)"; 0 when not paused. */
  pausedForMs: number;
  /** Why sending is paused: a 429, or failures in a row (an outage). */
  pauseCause: 'rate_limited' | 'server_failing' | undefined;
};

type PendingJob<T> = {
  job: DeliveryJob<T>;
  /** Every request made for this job. */
  attempts: number;
  /** Attempts that ended in a 5xx answer or a connection error. */
  errorAttempts: number;
  /** Attempts answered 429. */
  rateLimited: number;
  /** When the latest attempt started, in `performance.now()` ms. */
  sentAt: number;
  cancelRetry?: CancelTimer;
};

/**
 * Jobs that may be past or waiting for `beforeSend` and not yet written,
 * as a multiple of `maxInFlight`. A journal syncs them to disk together
 * while the connections are busy, so a free connection finds a job ready.
 */
const BEFORE_SEND_BATCH_SHARE = 4;

const RESOLVED_TRUE = Promise.resolve(true);
const RESOLVED_FALSE = Promise.resolve(false);

/**
 * Sends one JSON POST per job at a steady rate, with retries, and reports
 * one outcome per job. See `Pacer` for the schedule.
 *
 * - 200 `{"status":"success"}`: delivered.
 * - 429: all sending pauses for Retry-After (1 s if absent, 5 min at
 *   most: `MAX_RATE_LIMIT_PAUSE_MS`), then ramps back up from a lowered
 *   rate (see `Pacer.pause`); the job goes back to the front. More than
 *   `maxRateLimited` 429s for one job: failed `rate_limited`.
 * - 5xx, 408 and connections that never carried the request: retried
 *   after a full-jitter backoff, through the pacer, up to `maxAttempts`.
 *   Failures in a row pause all sending (see `HealthWatch`); only failures
 *   for longer than `maxWaitMs` stop the run, `unavailable`.
 * - A request written and then timed out or reset: `uncertain`, unless
 *   `resendUncertain`, when it is retried like a 5xx.
 * - 401, 415, a 2xx without success, 1xx, 3xx, a TLS certificate refused,
 *   a host name that never resolved: the whole run stops (`stopReason`);
 *   the job and every queued one are unsent (a 2xx one is uncertain).
 * - Other 4xx: rejected with the server's words, not retried.
 *
 * Call `finish()` at the end, also after a stop: it waits for every answer
 * and closes the connections.
 */
export class DeliveryQueue<T> {
  readonly #options: ResolvedDeliveryOptions<T>;
  readonly #onOutcome: (job: DeliveryJob<T>, outcome: DeliveryOutcome) => void;
  readonly #sender: HttpSender;
  readonly #pacer: Pacer;
  readonly #health: HealthWatch;
  readonly #ready = new Deque<PendingJob<T>>();
  readonly #retrying = new Set<PendingJob<T>>();
  readonly #unsent: DeliveryJob<T>[] = [];
  readonly #roomWaiters: (() => void)[] = [];
  readonly #counts = {
    sent: 0,
    delivered: 0,
    rejected: 0,
    failed: 0,
    uncertain: 0,
  };
  #inFlight = 0;
  /**
   * Started, waiting for `beforeSend` (a journal's disk sync). Not counted
   * in `#inFlight`: while one batch syncs, the next fills up, and requests
   * already written keep the connections busy meanwhile.
   */
  #awaitingBeforeSend = 0;
  /** The `beforeSend` promise of the latest started jobs, and those jobs. */
  #gate: { promise: Promise<void>; jobs: PendingJob<T>[] } | undefined;
  /** Past `beforeSend`, waiting for a connection to be free. */
  readonly #cleared = new Deque<PendingJob<T>>();
  #stopReason: StopReason | undefined;
  #isStopped = false;
  #isPauseAnnounced = false;
  #pauseCause: DeliveryStats['pauseCause'];
  #isPumping = false;
  #isPumpNeeded = false;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeTimerAt = Number.POSITIVE_INFINITY;
  #finished: Promise<void> | undefined;
  #resolveSettled: (() => void) | undefined;

  constructor(
    options: DeliveryOptions<T>,
    onOutcome: (job: DeliveryJob<T>, outcome: DeliveryOutcome) => void,
  ) {
    this.#options = resolveDeliveryOptions(options);
    this.#onOutcome = onOutcome;
    this.#pacer = new Pacer(this.#options.rate);
    this.#health = new HealthWatch(this.#options.maxWaitMs, performance.now());
    this.#sender = new HttpSender({
      url: this.#options.url,
      secret: this.#options.secret,
      connections: this.#options.maxInFlight,
      timeoutMs: this.#options.timeoutMs,
    });
  }

  /** Set once something stopped the whole run; see `StopKind`. */
  get stopReason(): StopReason | undefined {
    return this.#stopReason;
  }

  /**
   * Queues one job. Resolves true when the queue has room for the next one:
   * await it before submitting more, and a producer of any size keeps
   * bounded memory. Once the run has stopped it resolves false and sends
   * nothing; the job is then listed by `unsent()`.
   */
  submit(job: DeliveryJob<T>): Promise<boolean> {
    if (this.#finished) {
      throw new Error('DeliveryQueue.submit() was called after finish().');
    }
    if (this.#isStopped) {
      this.#unsent.push(job);
      return RESOLVED_FALSE;
    }

    this.#ready.push({
      job,
      attempts: 0,
      errorAttempts: 0,
      rateLimited: 0,
      sentAt: 0,
    });
    this.#pump();
    if (this.#waitingCount() < this.#options.bufferSize) return RESOLVED_TRUE;
    return new Promise((resolve) => {
      this.#roomWaiters.push(() => resolve(true));
    });
  }

  /**
   * No more jobs will come. Resolves once every job has an outcome or is
   * unsent, and the connections are closed.
   */
  finish(): Promise<void> {
    if (!this.#finished) {
      const settled = new Promise<void>((resolve) => {
        this.#resolveSettled = resolve;
      });
      this.#finished = settled.then(() => this.#sender.close());
      this.#checkSettled();
    }
    return this.#finished;
  }

  /**
   * For Ctrl-C: start nothing more. Requests in flight still get their
   * outcome; queued jobs and jobs waiting to retry become unsent.
   */
  stopAccepting(): void {
    this.#halt('requested');
  }

  /** Jobs that were never delivered because the run stopped. */
  unsent(): DeliveryJob<T>[] {
    return [...this.#unsent];
  }

  stats(): DeliveryStats {
    const now = performance.now();
    return {
      queued: this.#ready.length,
      retrying: this.#retrying.size,
      inFlight: this.#inFlight + this.#startedNotWritten(),
      ...this.#counts,
      unsent: this.#unsent.length,
      isPaused: this.#pacer.isPaused(now),
      pausedForMs: this.#pacer.pauseRemaining(now),
      pauseCause: this.#pacer.isPaused(now) ? this.#pauseCause : undefined,
    };
  }

  /**
   * The one send loop: starts every job whose slot has come, then arms a
   * single timer for the next slot. Called on submit, on each answer and
   * by that timer; guarded because callbacks may call back in.
   */
  #pump(): void {
    if (this.#isPumping) {
      this.#isPumpNeeded = true;
      return;
    }
    this.#isPumping = true;
    try {
      do {
        this.#isPumpNeeded = false;
        this.#sendWhileDue();
      } while (this.#isPumpNeeded);
    } finally {
      this.#isPumping = false;
    }
    this.#releaseRoomWaiters();
    this.#checkSettled();
  }

  #sendWhileDue(): void {
    const now = performance.now();
    const { maxInFlight, beforeSend } = this.#options;
    if (this.#pacer.isPaused(now)) this.#requeueCleared();
    while (!this.#isStopped) {
      while (this.#cleared.length > 0 && this.#inFlight < maxInFlight) {
        this.#dispatch(this.#cleared.shift()!);
      }
      const isFull = beforeSend
        ? this.#startedNotWritten() >= maxInFlight * BEFORE_SEND_BATCH_SHARE
        : this.#inFlight >= maxInFlight;
      if (this.#ready.length === 0 || isFull) {
        this.#pacer.markStalled();
        return;
      }
      const waitMs = this.#pacer.waitTime(now);
      if (waitMs > 0) {
        // Infinity: the next answer pumps again, no timer needed.
        if (waitMs !== Number.POSITIVE_INFINITY) this.#wakeAfter(now, waitMs);
        return;
      }
      this.#pacer.recordSend(now);
      this.#start(this.#ready.shift()!, now);
    }
  }

  #wakeAfter(now: number, waitMs: number): void {
    // Rounded up: a timer that fires early only costs one more round. A
    // slot further off than the longest timer (a rate such as 1e-7/s) is
    // not due when the capped timer fires, so the pump arms another.
    const delayMs = Math.min(Math.ceil(waitMs), MAX_TIMER_DELAY_MS);
    const wakeAt = now + delayMs;
    if (this.#wakeTimer !== undefined && this.#wakeTimerAt <= wakeAt) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeTimerAt = wakeAt;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#pump();
    }, delayMs);
  }

  #start(pending: PendingJob<T>, now: number): void {
    if (this.#isPauseAnnounced) {
      this.#isPauseAnnounced = false;
      this.#emit({ type: 'resumed', rate: this.#pacer.rateAt(now) });
    }
    pending.attempts += 1;
    pending.sentAt = now;
    this.#counts.sent += 1;

    const { beforeSend } = this.#options;
    if (!beforeSend) {
      this.#dispatch(pending);
      return;
    }
    this.#awaitingBeforeSend += 1;
    const promise = beforeSend(pending.job.context);
    if (promise !== this.#gate?.promise) this.#waitForGate(promise);
    this.#gate!.jobs.push(pending);
  }

  /**
   * A journal answers every job of one disk sync with the same promise:
   * the jobs that share it wait as one group, with one callback for all
   * rather than a promise and two closures each.
   */
  #waitForGate(promise: Promise<void>): void {
    const gate = { promise, jobs: [] as PendingJob<T>[] };
    this.#gate = gate;
    const settle = (failure?: { error: unknown }) => {
      // Jobs started from now on wait for a new promise, even the same one.
      if (this.#gate === gate) this.#gate = undefined;
      this.#awaitingBeforeSend -= gate.jobs.length;
      this.#passGate(gate.jobs, failure);
      this.#pump();
    };
    promise.then(
      () => settle(),
      (error: unknown) => settle({ error }),
    );
  }

  #passGate(jobs: PendingJob<T>[], failure?: { error: unknown }): void {
    if (failure) {
      const { error } = failure;
      const detail = error instanceof Error ? error.message : String(error);
      this.#stop({ kind: 'before_send_failed', detail });
    }
    for (const pending of jobs) {
      if (!this.#isStopped) {
        this.#cleared.push(pending);
        continue;
      }
      // Stopped while the journal was being written: never sent.
      this.#pacer.recordNeverWritten();
      this.#keepUnsent(pending);
    }
  }

  /**
   * A pause (a 429, an outage) holds every send, also of rows already past
   * `beforeSend`: they go back to the front of the queue, as not stored,
   * and are paced again when it ends, rather than written during the pause
   * or all at once after it.
   */
  #requeueCleared(): void {
    const jobs = this.#cleared.drain();
    for (let index = jobs.length - 1; index >= 0; index -= 1) {
      const pending = jobs[index]!;
      this.#pacer.recordNeverWritten();
      pending.attempts -= 1;
      this.#counts.sent -= 1;
      this.#options.onNotStored?.(pending.job.context);
      this.#ready.unshift(pending);
    }
  }

  /** Started: waiting for `beforeSend` or, past it, for a connection. */
  #startedNotWritten(): number {
    return this.#awaitingBeforeSend + this.#cleared.length;
  }

  /** Writes the request; at most `maxInFlight` await their answers. */
  #dispatch(pending: PendingJob<T>): void {
    this.#inFlight += 1;
    // The window guard counts this request from the moment it is written;
    // one that never was (refused, say) must leave the count too.
    let isWritten = false;
    const markWritten = () => {
      isWritten = true;
      this.#pacer.recordWritten(performance.now());
    };
    this.#sender.send(pending.job.body, markWritten).then(
      (answer) => {
        if (!isWritten) markWritten();
        this.#onAnswer(pending, answer);
      },
      (error: unknown) => {
        if (!isWritten) this.#pacer.recordNeverWritten();
        this.#onConnectionError(pending, error, isWritten);
      },
    );
  }

  #onAnswer(pending: PendingJob<T>, answer: HttpAnswer): void {
    this.#inFlight -= 1;
    // Classify the raw answer and redact only the words that leave: a
    // server that echoes the secret must not get it into a report.
    const verdict = classifyAnswer(answer);
    if (verdict.action !== 'retry') {
      this.#health.recordHealthy(performance.now());
    }
    const secret = this.#options.secret;
    this.#act(
      pending,
      'detail' in verdict
        ? { ...verdict, detail: redactSecret(verdict.detail, secret) }
        : verdict,
    );
    this.#pump();
  }

  #onConnectionError(
    pending: PendingJob<T>,
    error: unknown,
    isWritten: boolean,
  ): void {
    this.#inFlight -= 1;
    const { secret, timeoutMs, resendUncertain } = this.#options;
    const failure = classifyConnectionFailure(error, isWritten, timeoutMs);
    const detail = redactSecret(failure.detail, secret);
    if (failure.kind === 'tls') {
      this.#stop({ kind: 'tls', detail });
      this.#keepUnsent(pending);
    } else if (failure.kind === 'host_not_found' && !this.#health.hasAnswered) {
      this.#stop({ kind: 'host_not_found', detail });
      this.#keepUnsent(pending);
    } else if (failure.kind === 'uncertain' && !resendUncertain) {
      this.#settleUncertain(pending, detail);
    } else {
      this.#retryOrFail(pending, 'connection_failed', detail);
    }
    this.#pump();
  }

  #act(pending: PendingJob<T>, verdict: Verdict): void {
    switch (verdict.action) {
      case 'deliver':
        return this.#deliver(pending);
      case 'reject':
        return this.#reject(pending, verdict.status, verdict.detail);
      case 'stop': {
        const { kind, status, detail } = verdict;
        // Stop first, so the outcome callback already sees `stopReason`.
        this.#stop({ kind, status, detail });
        if (verdict.mayBeStored) return this.#settleUncertain(pending, detail);
        return this.#keepUnsent(pending);
      }
      case 'pause':
        return this.#onRateLimited(pending, verdict.pauseMs);
      case 'retry':
        return this.#retryOrFail(
          pending,
          'server_error',
          verdict.detail,
          verdict.retryAfterMs,
        );
    }
  }

  #onRateLimited(pending: PendingJob<T>, pauseMs: number): void {
    pending.rateLimited += 1;
    const now = performance.now();
    const sentLastSecond = this.#pacer.writtenInLastSecond(now);
    const isExtended =
      !this.#isStopped &&
      this.#pacer.pause(now, pauseMs, {
        sentAt: pending.sentAt,
        writtenLastSecond: sentLastSecond,
      });
    // Requests in flight often come back 429 together: announce a pause
    // only when it starts or grows longer.
    if (isExtended) {
      this.#isPauseAnnounced = true;
      this.#pauseCause = 'rate_limited';
      this.#emit({ type: 'paused', pauseMs, sentLastSecond });
    }
    if (pending.rateLimited > this.#options.maxRateLimited) {
      const times = pending.rateLimited;
      const detail = `The server answered 429 (rate limit exceeded) ${times} times for this lead.`;
      return this.#fail(pending, 'rate_limited', detail);
    }
    // Back to the front: a 429 says nothing against this lead.
    this.#options.onNotStored?.(pending.job.context);
    if (this.#isStopped) this.#unsent.push(pending.job);
    else this.#ready.unshift(pending);
  }

  #retryOrFail(
    pending: PendingJob<T>,
    reason: 'server_error' | 'connection_failed',
    detail: string,
    retryAfterMs?: number,
  ): void {
    const now = performance.now();
    this.#health.recordFailure();
    pending.errorAttempts += 1;
    if (pending.errorAttempts >= this.#options.maxAttempts) {
      return this.#fail(pending, reason, detail);
    }
    if (this.#health.hasWaitedTooLong(now)) {
      const waited = formatSeconds(this.#health.unhealthyFor(now));
      const allowed = formatSeconds(this.#options.maxWaitMs);
      this.#stop({
        kind: 'unavailable',
        detail: `The server gave only errors for ${waited}, longer than --max-wait (${allowed}); the last: ${detail}`,
      });
    }
    if (this.#isStopped) return this.#keepUnsent(pending);

    this.#options.onNotStored?.(pending.job.context);
    const { backoff } = this.#options;
    // A 503's Retry-After is a better hint than a guess, within the cap,
    // and no wait runs past --max-wait: the next attempt decides the stop.
    const delayMs = Math.min(
      retryAfterMs === undefined
        ? backoffDelay(pending.errorAttempts - 1, backoff)
        : Math.min(retryAfterMs, backoff.capMs),
      this.#waitLeftMs(now),
    );
    if (this.#health.isOutage()) this.#pauseForOutage(now, detail);
    this.#emit({
      type: 'retry-scheduled',
      context: pending.job.context,
      attempt: pending.attempts,
      delayMs,
      reason,
      detail,
    });
    this.#retrying.add(pending);
    // The backoff cap is the caller's to choose, and may be longer than
    // the longest plain timer.
    pending.cancelRetry = startLongTimer(() => {
      this.#retrying.delete(pending);
      pending.cancelRetry = undefined;
      this.#ready.unshift(pending);
      this.#pump();
    }, delayMs);
  }

  /**
   * Failures in a row: hold every send, for longer each time (full jitter,
   * within the backoff cap), so a server that is down gets a trickle of
   * probes rather than the full rate.
   */
  #pauseForOutage(now: number, detail: string): void {
    const failuresInRow = this.#health.failuresInRow;
    const pauseMs = Math.min(
      backoffDelay(failuresInRow - 1, this.#options.backoff),
      this.#waitLeftMs(now),
    );
    if (this.#pacer.pause(now, pauseMs, { lowersRate: false })) {
      this.#isPauseAnnounced = true;
      this.#pauseCause = 'server_failing';
      this.#emit({ type: 'outage', failuresInRow, pauseMs, detail });
    }
  }

  /** Ms until failures alone have lasted longer than `maxWaitMs`. */
  #waitLeftMs(now: number): number {
    const left = this.#options.maxWaitMs - this.#health.unhealthyFor(now);
    return Math.max(0, left) + 1;
  }

  #deliver(pending: PendingJob<T>): void {
    const { job, attempts } = pending;
    this.#emit({ type: 'delivered', context: job.context, attempts });
    this.#settle(job, { kind: 'delivered', attempts });
  }

  #reject(pending: PendingJob<T>, status: number, detail: string): void {
    const { job } = pending;
    this.#emit({ type: 'rejected', context: job.context, status, detail });
    const reason = 'server_rejected';
    this.#settle(job, { kind: 'rejected', reason, status, detail });
  }

  #fail(pending: PendingJob<T>, reason: FailureReason, detail: string): void {
    const { job, attempts } = pending;
    this.#emit({ type: 'failed', context: job.context, reason, detail });
    this.#settle(job, { kind: 'failed', reason, detail, attempts });
  }

  #settleUncertain(pending: PendingJob<T>, detail: string): void {
    const { job, attempts } = pending;
    this.#emit({ type: 'uncertain', context: job.context, detail });
    this.#settle(job, { kind: 'uncertain', detail, attempts });
  }

  #settle(job: DeliveryJob<T>, outcome: DeliveryOutcome): void {
    this.#counts[outcome.kind] += 1;
    this.#onOutcome(job, outcome);
  }

  /** A job the server surely did not keep, left for a later run. */
  #keepUnsent(pending: PendingJob<T>): void {
    this.#options.onNotStored?.(pending.job.context);
    this.#unsent.push(pending.job);
  }

  #stop(reason: StopReason): void {
    this.#stopReason ??= reason;
    this.#halt(this.#stopReason);
  }

  #halt(reason: StopReason | 'requested'): void {
    if (this.#isStopped) return;
    this.#isStopped = true;

    for (const pending of this.#ready.drain()) this.#unsent.push(pending.job);
    for (const pending of this.#cleared.drain()) {
      this.#pacer.recordNeverWritten();
      this.#keepUnsent(pending);
    }
    for (const pending of this.#retrying) {
      pending.cancelRetry?.();
      this.#unsent.push(pending.job);
    }
    this.#retrying.clear();
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;

    this.#emit({ type: 'stopped', reason });
    this.#releaseRoomWaiters();
    this.#checkSettled();
  }

  #waitingCount(): number {
    return this.#ready.length + this.#retrying.size;
  }

  /**
   * Wakes a waiting producer once the buffer is half empty rather than at
   * the first free place, so it refills in batches instead of one job per
   * send.
   */
  #releaseRoomWaiters(): void {
    if (this.#roomWaiters.length === 0) return;
    const hasRoom = this.#waitingCount() <= this.#options.bufferSize / 2;
    if (!hasRoom && !this.#isStopped) return;
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  #checkSettled(): void {
    if (!this.#resolveSettled) return;
    const isIdle =
      this.#inFlight === 0 &&
      this.#startedNotWritten() === 0 &&
      this.#retrying.size === 0 &&
      (this.#ready.length === 0 || this.#isStopped);
    if (!isIdle) return;
    clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    this.#resolveSettled();
    this.#resolveSettled = undefined;
  }

  #emit(event: DeliveryEvent<T>): void {
    this.#options.onEvent?.(event);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}
