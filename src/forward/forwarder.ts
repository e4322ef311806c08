import type { RequestRecord } from '../receiver/request-record.js';
import { forwardHeaders } from './forward-headers.js';
import type { ForwardOutcome } from './forward-outcome.js';
import type { ForwardSender } from './forward-sender.js';

/**
 * Bodies held for forwarding at most, whatever --forward-queue allows: a
 * stalled app must not make listen run out of memory (1,000 events of
 * the 1 MB --max-body would take a gigabyte).
 */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

const STOPPED: ForwardOutcome = {
  outcome: 'notForwarded',
  reason: 'listen was stopped before this event was forwarded',
};

type Job = { record: RequestRecord; body: Buffer; headers: string[] };

export interface ForwarderOptions {
  sender: Pick<ForwardSender, 'send' | 'abort'>;
  /** Events waiting behind the one being sent, at most. */
  maxQueued: number;
  /** Told the outcome of every event handed to `forward`. */
  onOutcome: (record: RequestRecord, outcome: ForwardOutcome) => void;
}

/**
 * Re-sends accepted events to the app one at a time, in the order they
 * were accepted, from a bounded queue in memory. `forward` returns at
 * once: the answer to AstraDial never waits for the app.
 */
export class Forwarder {
  readonly #options: ForwarderOptions;
  #queue: Job[] = [];
  #queuedBytes = 0;
  #running: Promise<void> | undefined;
  #isAbandoned = false;
  #isSending = false;

  constructor(options: ForwarderOptions) {
    this.#options = options;
  }

  /** Events without an outcome yet: the one being sent and those queued. */
  get pending(): number {
    return this.#queue.length + (this.#isSending ? 1 : 0);
  }

  /**
   * Queues an accepted event with the headers it arrived with, or reports
   * it `overQueueBound` at once when --forward-queue events or
   * MAX_QUEUED_BYTES are already waiting. The newest event is the one
   * left out, so the app still sees the others in order.
   */
  forward(record: RequestRecord, rawHeaders: readonly string[]): void {
    const body = record.body ?? Buffer.alloc(0);
    const isFull =
      this.#queue.length >= this.#options.maxQueued ||
      this.#queuedBytes + body.length > MAX_QUEUED_BYTES;
    if (isFull) {
      this.#options.onOutcome(record, {
        outcome: 'overQueueBound',
        reason: `the forward queue is full (${this.#queue.length} events, ${this.#queuedBytes} bytes waiting for the app): answered and captured, but not forwarded`,
      });
      return;
    }
    this.#queue.push({ record, body, headers: forwardHeaders(rawHeaders) });
    this.#queuedBytes += body.length;
    this.#running ??= this.#run();
  }

  /** Resolves once every queued event has its outcome. */
  async drain(): Promise<void> {
    await this.#running;
  }

  /**
   * Gives up: the forward in flight is aborted, and every event still
   * queued, or handed over later, is reported as not forwarded.
   */
  abandon(): void {
    this.#isAbandoned = true;
    this.#options.sender.abort();
  }

  async #run(): Promise<void> {
    const { sender, onOutcome } = this.#options;
    for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
      this.#queuedBytes -= job.body.length;
      this.#isSending = true;
      const outcome = this.#isAbandoned
        ? STOPPED
        : await sender.send(job.body, job.headers);
      this.#isSending = false;
      onOutcome(job.record, outcome);
    }
    this.#running = undefined;
  }
}
