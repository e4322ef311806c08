import type { DeliveryEvent } from '../../delivery/delivery-queue.js';
import type { SourceRow } from './lead-source.js';

/** A 429 after fewer requests than this in a second is not ours alone. */
const SHARED_LIMIT_THRESHOLD = 50;

/**
 * Warnings from the delivery engine while the run goes on, each said once
 * per episode rather than once per request.
 */
export class RunWarnings {
  readonly #say: (message: string) => void;
  #hasWarnedSharedLimit = false;
  #isInOutage = false;

  constructor(say: (message: string) => void) {
    this.#say = say;
  }

  onEvent(event: DeliveryEvent<SourceRow>): void {
    if (event.type === 'paused') this.#onPaused(event.sentLastSecond);
    if (event.type === 'delivered') this.#isInOutage = false;
    if (event.type === 'outage' && !this.#isInOutage) {
      this.#isInOutage = true;
      this.#say(
        `The server keeps failing (${event.detail}). Sending is paused and retried with growing pauses; the run stops, with its state saved, if this lasts longer than --max-wait.`,
      );
    }
  }

  #onPaused(sentLastSecond: number): void {
    if (this.#hasWarnedSharedLimit) return;
    if (sentLastSecond >= SHARED_LIMIT_THRESHOLD) return;
    this.#hasWarnedSharedLimit = true;
    this.#say(
      `The server answered 429 (too many requests) after only ${sentLastSecond} requests from this run in the last second, under AstraDial's 60 per second. The limit is per public IP address: another push or program on this network (an office's shared address) may be using it too. This run slows down to fit.`,
    );
  }
}
