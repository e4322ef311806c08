import { setTimeout as sleep } from 'node:timers/promises';

import { Pacer } from '../../delivery/pacer.js';
import type { ForwardOutcome } from '../../forward/forward-outcome.js';
import { ForwardSender } from '../../forward/forward-sender.js';
import type { CapturedEvent } from './capture-entry.js';
import { replayHeaders } from './replay-headers.js';

export interface ReplaySenderOptions {
  target: URL;
  timeoutMs: number;
  /** Events per second at most. */
  rate: number;
  secret: string;
  /** Masks the secret in the receiver's answer, should it echo it. */
  hideSecret: (text: string) => string;
}

/**
 * Sends captured events one at a time, in the order given, on push's
 * schedule: never more than `rate` in any second (see Pacer). One at a
 * time keeps the receiver seeing them in the order AstraDial sent them;
 * a receiver that answers slowly lowers the pace, never the order.
 */
export class ReplaySender {
  readonly #pacer: Pacer;
  readonly #sender: ForwardSender;
  readonly #secret: string;

  constructor(options: ReplaySenderOptions) {
    this.#pacer = new Pacer(options.rate);
    this.#secret = options.secret;
    this.#sender = new ForwardSender({
      url: options.target,
      timeoutMs: options.timeoutMs,
      redact: options.hideSecret,
      timeoutFlag: '--timeout',
      abortedReason:
        'cut off in flight by a second Ctrl-C; the receiver may have received it',
    });
  }

  /**
   * Waits until the schedule lets the next event go. Resolves false when
   * `signal` aborts the wait (Ctrl-C), true when it may be sent.
   */
  async waitForTurn(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const wait = this.#pacer.waitTime(performance.now());
      if (wait === 0) return true;
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return false;
      }
    }
  }

  /** Sends one event; call after `waitForTurn` resolved true. */
  async send(event: CapturedEvent): Promise<ForwardOutcome> {
    this.#pacer.recordSend(performance.now());
    const headers = replayHeaders(event.contentType, this.#secret);
    const outcome = await this.#sender.send(event.body, headers);
    // ForwardSender does not say when the request left; it had left (or
    // failed) by the time the answer came, so stamping the write now errs
    // late, and a late stamp only ever holds the next event back longer.
    this.#pacer.recordWritten(performance.now());
    return outcome;
  }

  /** Cuts off the event in flight, if any; it ends as not forwarded. */
  abort(): void {
    this.#sender.abort();
  }

  close(): Promise<void> {
    return this.#sender.close();
  }
}
