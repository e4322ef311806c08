import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { bindServer, type BoundAddress } from '../webhook/bind-server.js';

import type { CaptureFile } from './capture-file.js';
import { clientAddress } from './client-address.js';
import {
  checkBeforeBody,
  checkBody,
  tooLarge,
  type GateRules,
} from './decide-request.js';
import { readBody } from './read-body.js';
import type { RequestRecord } from './request-record.js';
import { toCaptureLine } from './request-record.js';
import { maskHeaders } from './secret-check.js';

const SUCCESS_BODY = '{"status":"success"}';

export interface ReceiverOptions {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  rules: GateRules;
  /** Answer 400 to events that fail their schema. */
  isStrict: boolean;
  /** Kinds that match --events; undefined: every kind matches. */
  events?: ReadonlySet<string>;
  trustProxy: boolean;
  /** Time for a request's headers, and then for its body, to arrive. */
  requestTimeoutMs: number;
  capture?: CaptureFile;
}

type Listener<T> = (value: T) => void;

/**
 * Told of an event answered 200, with the headers exactly as they arrived
 * (Node's `rawHeaders`: name, value, name, value…), the secret unmasked:
 * for forwarding only, never to be shown or stored.
 */
type AcceptedListener = (
  record: RequestRecord,
  rawHeaders: readonly string[],
) => void;

/**
 * The HTTP(S) side of `astradial listen`. Each request is checked, then
 * captured, then answered, and only then handed to subscribers: the tail
 * and anything else (`onAccepted`) never delay an answer, and no event is
 * acknowledged before its capture line was written.
 */
export class Receiver {
  readonly #options: ReceiverOptions;
  readonly #server: Server;
  readonly #decided = new Set<Listener<RequestRecord>>();
  readonly #accepted = new Set<AcceptedListener>();
  readonly #failed = new Set<Listener<Error>>();
  #isClosing = false;

  constructor(options: ReceiverOptions) {
    this.#options = options;
    const serverOptions: ServerOptions = {
      headersTimeout: options.requestTimeoutMs,
      // A backstop: each body has its own timer (see readBody), which lets
      // a stalled one be answered 408 and shown in the tail.
      requestTimeout: options.requestTimeoutMs * 2,
      connectionsCheckingInterval: Math.min(1000, options.requestTimeoutMs),
    };
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      void this.#handle(request, response);
    };
    this.#server = options.tls
      ? createHttpsServer({ ...serverOptions, ...options.tls }, handler)
      : createHttpServer(serverOptions, handler);
  }

  /** Every request that reached a decision, after it was answered. */
  onDecided(listener: Listener<RequestRecord>): void {
    this.#decided.add(listener);
  }

  /** Every event answered 200, after it was answered and decided. */
  onAccepted(listener: AcceptedListener): void {
    this.#accepted.add(listener);
  }

  /** The capture could not be written: the receiver can no longer work. */
  onFailure(listener: Listener<Error>): void {
    this.#failed.add(listener);
  }

  /** Binds the address; rejects with the system's error (EADDRINUSE…). */
  listen(): Promise<BoundAddress> {
    const { host, port, tls } = this.#options;
    return bindServer(this.#server, host, port, tls ? 'https' : 'http');
  }

  /**
   * Stops accepting connections and resolves once the requests in flight
   * have been answered and their connections closed.
   */
  close(): Promise<void> {
    this.#isClosing = true;
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  async #handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const { rules, trustProxy, requestTimeoutMs } = this.#options;
    const record: RequestRecord = {
      receivedAt: new Date().toISOString(),
      remoteAddress: rules.secretMask.hide(clientAddress(request, trustProxy)),
      method: request.method ?? '',
      path: rules.secretMask.hide(request.url ?? ''),
      headers: maskHeaders(request.headers, rules.secretMask),
      status: 0,
    };

    const rejection = checkBeforeBody(request, record.remoteAddress, rules);
    if (rejection) {
      record.status = rejection.status;
      record.reason = rejection.reason;
      await this.#finish(record, response, rejection.responseHeaders);
      return;
    }

    const result = await readBody(
      request,
      rules.maxBodyBytes,
      requestTimeoutMs,
    );
    if (result.outcome === 'aborted') return;
    if (result.outcome === 'timedOut') {
      record.status = 408;
      record.reason = `the body did not arrive within ${requestTimeoutMs} ms`;
      await this.#finish(record, response, { connection: 'close' });
      return;
    }
    if (result.outcome === 'tooLarge') {
      Object.assign(record, tooLarge(result.receivedBytes, rules));
      await this.#finish(record, response);
      return;
    }

    record.body = result.body;
    Object.assign(record, checkBody(result.body, this.#options.isStrict));
    if (record.event) {
      record.isMatching = this.#options.events?.has(record.event.kind) ?? true;
    }
    await this.#finish(record, response);
    if (record.status !== 200) return;
    for (const listener of this.#accepted) listener(record, request.rawHeaders);
  }

  /** Captures, answers, then tells the onDecided subscribers. */
  async #finish(
    record: RequestRecord,
    response: ServerResponse,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const { capture } = this.#options;
    const line = capture && serialiseOrRefuse(record);
    let captureError: Error | undefined;
    try {
      if (line !== undefined) await capture?.append(line);
    } catch (error) {
      captureError = error as Error;
      record.status = 500;
      record.reason = 'the capture file could not be written';
    }
    this.#answer(response, record, headers);
    // The tail and the counts hear of a 500 too; then listen stops.
    for (const listener of this.#decided) listener(record);
    if (captureError === undefined) return;
    for (const listener of this.#failed) listener(captureError);
  }

  #answer(
    response: ServerResponse,
    record: RequestRecord,
    headers: Record<string, string>,
  ): void {
    const body =
      record.status === 200
        ? SUCCESS_BODY
        : JSON.stringify({ status: 'error', message: record.reason });
    response.writeHead(record.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(this.#isClosing ? { connection: 'close' } : {}),
      ...headers,
    });
    response.end(body);
  }
}

/**
 * The record's capture line, or undefined after turning the record into a
 * 500 when it cannot be serialised: a bug in handling one request fails
 * that request alone, while only a failed write means the capture file
 * itself is broken.
 */
function serialiseOrRefuse(record: RequestRecord): string | undefined {
  try {
    return toCaptureLine(record);
  } catch (error) {
    record.status = 500;
    record.reason = `listen could not serialise this request for the capture (${String(error)}). This is a bug: please report it to the astradial maintainers`;
    return undefined;
  }
}
