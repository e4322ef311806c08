import type { IncomingHttpHeaders } from 'node:http';

import { Pool, type Dispatcher } from 'undici';

/**
 * Enough of an answer to quote the server's words and to check a success
 * body that echoes the lead back (16 KB cut some of those short). The rest
 * of a longer body is still read to the end and dropped: a body left unread
 * keeps its socket from being reused. Kept per request in flight: 4 MB
 * with 64 requests in flight.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;

const USER_AGENT = 'astradial-cli';

export type HttpAnswer = {
  status: number;
  /** The raw Retry-After header, if any. */
  retryAfter: string | undefined;
  /** The start of the body as text, at most `MAX_ANSWER_BYTES`. */
  text: string;
  /** The body was longer than `MAX_ANSWER_BYTES` and `text` is its start. */
  isTruncated: boolean;
};

export interface HttpSenderOptions {
  url: string;
  secret: string;
  /** Most connections open at once, hence most requests in flight. */
  connections: number;
  /**
   * Limit for connecting, for the answer's headers and for each gap in its
   * body. undici checks the last two on a coarse tick (about 0.5 s), so
   * they fire up to a second late; that matters only for tiny values.
   */
  timeoutMs: number;
}

/**
 * Sends JSON POSTs to one URL over a keep-alive undici Pool. Retries are not
 * its business: the delivery queue owns them, so the pacer hears of every
 * 429 (undici's RetryAgent would retry on its own, without jitter, and does
 * not retry POST by default).
 */
export class HttpSender {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;

  constructor(options: HttpSenderOptions) {
    const target = new URL(options.url);
    this.#path = `${target.pathname}${target.search}`;
    // The secret travels in this header and nowhere else: not in the URL,
    // not in any message built from an answer or an error.
    this.#headers = {
      'content-type': 'application/json',
      'x-webhook-secret': options.secret,
      'user-agent': USER_AGENT,
    };
    // undici's defaults are unlimited connections and 300 s timeouts.
    this.#pool = new Pool(target.origin, {
      connections: options.connections,
      pipelining: 1,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /**
   * Sends one body and reads the whole answer. `onWritten` runs when the
   * request is handed to a connected socket, which can be well after this
   * call if a new connection had to be opened first. Rejects with undici's
   * or Node's error when the connection fails, drops or times out.
   */
  send(body: string, onWritten: () => void): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const handler = new AnswerCollector(onWritten, resolve, reject);
      this.#pool.dispatch(
        { method: 'POST', path: this.#path, headers: this.#headers, body },
        handler,
      );
    });
  }

  /** Closes idle connections once every request has been answered. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * undici's dispatch handler, used instead of `request()` for two reasons:
 * `onRequestStart` runs right before the request is written to the socket,
 * which the pacer's window guard needs, and collecting a small body here
 * avoids a stream per request. Every chunk is consumed, so the connection
 * goes back to the pool.
 */
class AnswerCollector implements Dispatcher.DispatchHandler {
  readonly #onWritten: () => void;
  readonly #resolve: (answer: HttpAnswer) => void;
  readonly #reject: (error: Error) => void;
  readonly #chunks: Buffer[] = [];
  #keptBytes = 0;
  #isTruncated = false;
  #status = 0;
  #retryAfter: string | undefined;

  constructor(
    onWritten: () => void,
    resolve: (answer: HttpAnswer) => void,
    reject: (error: Error) => void,
  ) {
    this.#onWritten = onWritten;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  onRequestStart(): void {
    this.#onWritten();
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.#status = statusCode;
    const retryAfter = headers['retry-after'];
    this.#retryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  }

  onResponseData(
    _controller: Dispatcher.DispatchController,
    chunk: Buffer,
  ): void {
    const room = MAX_ANSWER_BYTES - this.#keptBytes;
    if (chunk.length > room) this.#isTruncated = true;
    if (room <= 0) return;
    const kept = chunk.subarray(0, room);
    this.#chunks.push(kept);
    this.#keptBytes += kept.length;
  }

  onResponseEnd(): void {
    this.#resolve({
      status: this.#status,
      retryAfter: this.#retryAfter,
      text: Buffer.concat(this.#chunks).toString('utf8'),
      isTruncated: this.#isTruncated,
    });
  }

  onResponseError(
    _controller: Dispatcher.DispatchController,
    error: Error,
  ): void {
    this.#reject(error);
  }
}
