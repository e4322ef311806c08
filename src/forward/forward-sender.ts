import { Client } from 'undici';

import { describeForwardFailure } from './describe-forward-failure.js';
import { toBodyStart, type ForwardOutcome } from './forward-outcome.js';

/**
 * Bytes of the app's answer kept to show its start. Only 200 characters
 * are shown, but after runs of white space are collapsed; an answer that
 * is mostly white space (a pretty-printed page) needs more. The rest is
 * read and dropped, so the connection can be used again.
 */
const KEPT_ANSWER_BYTES = 64 * 1024;
/**
 * Characters dropped from the end of an answer cut at KEPT_ANSWER_BYTES
 * before the secret is masked: the cut may fall inside an echoed secret,
 * whose start alone the mask would not recognise. 4,096 characters hold
 * a long secret even with every character escaped.
 */
const CUT_MARGIN_CHARACTERS = 4096;

export interface ForwardSenderOptions {
  url: URL;
  /** For the whole forward: connecting, sending, and the answer's end. */
  timeoutMs: number;
  /** Masks what must not be shown (the secret) in the answer's start. */
  redact: (text: string) => string;
  /** The flag that sets `timeoutMs`, named when it passes. */
  timeoutFlag: string;
  /** Why a send aborted with `abort()` ended, e.g. that listen stopped. */
  abortedReason: string;
}

/**
 * POSTs bodies to the developer's app over one keep-alive connection and
 * reports what came back: listen's forwards, trigger's samples, replay's
 * captured events. It never throws: a failure is an outcome.
 */
export class ForwardSender {
  readonly #options: ForwardSenderOptions;
  readonly #client: Client;
  readonly #path: string;
  #inFlight: AbortController | undefined;

  constructor(options: ForwardSenderOptions) {
    this.#options = options;
    this.#path = `${options.url.pathname}${options.url.search}`;
    // One deadline of our own covers the whole forward, so undici's
    // coarser header and body timeouts (300 s by default) are turned off.
    this.#client = new Client(options.url.origin, {
      connectTimeout: options.timeoutMs,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** Sends one body with `headers` (flat name, value pairs) as given. */
  async send(body: Buffer, headers: string[]): Promise<ForwardOutcome> {
    const { timeoutMs, url } = this.#options;
    const controller = new AbortController();
    this.#inFlight = controller;
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const answer = await this.#client.request({
        method: 'POST',
        path: this.#path,
        headers,
        body,
        signal: controller.signal,
      });
      const { text, isCut } = await readStart(answer.body);
      const shown = isCut ? text.slice(0, -CUT_MARGIN_CHARACTERS) : text;
      return {
        outcome: answer.statusCode < 400 ? 'ok' : 'appError',
        status: answer.statusCode,
        latencyMs: latency(),
        bodyStart: toBodyStart(this.#options.redact(shown)),
      };
    } catch (error) {
      if (controller.signal.aborted && !isTimedOut) {
        return {
          outcome: 'notForwarded',
          reason: this.#options.abortedReason,
        };
      }
      const reason = isTimedOut
        ? `no complete answer within ${timeoutMs} ms (${this.#options.timeoutFlag})`
        : describeForwardFailure(error, url);
      return { outcome: 'failed', reason, latencyMs: latency() };
    } finally {
      clearTimeout(timer);
      this.#inFlight = undefined;
    }
  }

  /** Aborts the forward in flight, if any; it ends as not forwarded. */
  abort(): void {
    this.#inFlight?.abort();
  }

  /** Closes the connection; a forward in flight is aborted. */
  close(): Promise<void> {
    return this.#client.destroy();
  }
}

async function readStart(
  body: AsyncIterable<Buffer>,
): Promise<{ text: string; isCut: boolean }> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let isCut = false;
  for await (const chunk of body) {
    if (keptBytes >= KEPT_ANSWER_BYTES) {
      isCut = true;
      continue;
    }
    const part = chunk.subarray(0, KEPT_ANSWER_BYTES - keptBytes);
    if (part.length < chunk.length) isCut = true;
    kept.push(part);
    keptBytes += part.length;
  }
  return { text: Buffer.concat(kept).toString('utf8'), isCut };
}
