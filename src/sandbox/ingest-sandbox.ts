import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createHttpsServer,
  type Server as HttpsServer,
} from 'node:https';
import { performance } from 'node:perf_hooks';

import { evaluateRequest, type Evaluation } from './evaluate-request.js';
import { FixedRateLimitWindow } from './fixed-window.js';
import { bindServer } from '../webhook/bind-server.js';
import { digestSecret, parseJsonBody } from '../webhook/request-checks.js';
import {
  PeakWindowCounter,
  RateLimitWindow,
} from '../webhook/sliding-window.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_RATE_LIMIT = 60;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const EMPTY_BODY = Buffer.alloc(0);

/**
 * A local stand-in for AstraDial's ingest endpoint ("Sending data to
 * AstraDial" in the webhook documentation), for the demo, tests and
 * benchmarks. It binds to 127.0.0.1 unless told otherwise.
 */
export interface SandboxOptions {
  /** The value every request must carry in X-Webhook-Secret. */
  secret: string;
  host?: string;
  /** 0 (the default) lets the system pick a free port. */
  port?: number;
  /**
   * Most requests one remote address may make in one second (see
   * `rateWindow`); later ones get 429 with `Retry-After: 1`. Default 60, the
   * documented AstraDial limit. 0 turns the limit off.
   */
  rateLimit?: number;
  /**
   * How `rateLimit` measures a second. 'sliding' (the default) counts the
   * last 1000 ms before each request, the documented behaviour. 'fixed'
   * counts per whole wall-clock second, `Math.floor(ms / 1000)`: a burstier
   * server than documented, for checking that the client adapts.
   */
  rateWindow?: 'sliding' | 'fixed';
  /**
   * Whether requests answered 429 count toward the limit. Default true: a
   * client that keeps sending while throttled stays throttled, the harsher
   * of the plausible server algorithms (AstraDial's exact one is unknown).
   * False counts only requests answered 200.
   */
  countRejected?: boolean;
  /** Answer after a uniformly random delay in this range, in ms. */
  latencyMs?: { min: number; max: number };
  /**
   * Fault hook, called for every request. Return a reply to override the
   * normal answer, or undefined to keep it.
   */
  respond?: (
    request: SandboxRequest,
  ) => SandboxReply | undefined | Promise<SandboxReply | undefined>;
  /**
   * Keep every request and delivered or stored body (default true).
   * Benchmarks pass false: the counters and the peak window still work, but
   * `requests`, `deliveredBodies()` and `storedBodies()` stay empty, so a
   * million requests cost no memory.
   */
  record?: boolean;
  /** Larger bodies get 413. Default 1 MB. */
  maxBodyBytes?: number;
  /** Serve HTTPS with this certificate and key instead of plain HTTP. */
  tls?: SandboxTls;
}

/** PEM text or bytes, as `node:https` takes them. */
export interface SandboxTls {
  cert: string | Buffer;
  key: string | Buffer;
}

export type SandboxRequest = {
  /** Position in arrival order, from 0. */
  index: number;
  /**
   * When the whole request had arrived, in ms since the Unix epoch, taken as
   * `performance.timeOrigin + performance.now()`: comparable with
   * `Date.now()` and HTTP dates, but monotonic within the process.
   */
  receivedAt: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw bytes; empty when the body was over `maxBodyBytes`. */
  body: Buffer;
  remoteAddress: string;
  /** With the address, tells connections apart (keep-alive reuse). */
  remotePort: number;
};

export type SandboxReply = (
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Drop the connection after the body was read, without answering. */
  | { destroy: true }
  /**
   * Read the request and never answer. The socket stays open until the
   * client gives up or the sandbox closes.
   */
  | { hang: true }
) & {
  /**
   * Whether the server kept the lead, whatever it then answers: with
   * `{ destroy: true, store: true }` a test models a lead stored before the
   * connection was reset. Normal 200 answers store; a hook's reply stores
   * only when it says `store: true`.
   */
  store?: boolean;
};

export interface Sandbox {
  /**
   * `http://127.0.0.1:PORT`, or `https://` with `tls`, without a trailing
   * slash.
   */
  readonly url: string;
  /** Every request received, in arrival order (empty with `record: false`). */
  readonly requests: SandboxRequest[];
  /** Total requests received, recorded or not. */
  requestCount(): number;
  /**
   * Parsed bodies of the requests answered 200, in answer order: what the
   * client was told succeeded, including a hook's 200 that stored nothing.
   * Use `storedBodies()` to ask what the server actually kept.
   */
  deliveredBodies(): unknown[];
  /**
   * Parsed bodies of the requests the server kept (see `SandboxReply`'s
   * `store`), in the order their answers were chosen, whether or not an
   * answer reached the client. A body that is not JSON is kept as its
   * UTF-8 text. Empty with `record: false`.
   */
  storedBodies(): unknown[];
  /** How many requests the server kept, recorded or not. */
  storedCount(): number;
  /** Answers sent, by status; dropped and hung connections are not counted. */
  statusCounts(): Record<number, number>;
  /** Most requests (any status, any address) in one sliding second. */
  maxRequestsInAnySecond(): number;
  close(): Promise<void>;
}

/** Starts a sandbox and resolves once it is listening. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = new IngestSandbox(options);
  await sandbox.listen(options.host ?? DEFAULT_HOST, options.port ?? 0);
  return sandbox;
}

class IngestSandbox implements Sandbox {
  url = '';
  readonly requests: SandboxRequest[] = [];
  readonly #options: SandboxOptions;
  readonly #server: HttpServer | HttpsServer;
  readonly #secretDigest: Buffer;
  readonly #rateLimit: number;
  readonly #limiter: RateLimitWindow | FixedRateLimitWindow | undefined;
  readonly #isRecording: boolean;
  readonly #maxBodyBytes: number;
  readonly #peak = new PeakWindowCounter();
  readonly #statusCounts = new Map<number, number>();
  readonly #deliveredBodies: unknown[] = [];
  readonly #storedBodies: unknown[] = [];
  readonly #delayedReplies = new Set<NodeJS.Timeout>();
  readonly #hungResponses = new Set<ServerResponse>();
  #requestCount = 0;
  #storedCount = 0;
  #closing: Promise<void> | undefined;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.#secretDigest = digestSecret(Buffer.from(options.secret, 'utf8'));
    this.#rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.#limiter = createLimiter(this.#rateLimit, options.rateWindow);
    this.#isRecording = options.record ?? true;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#server = createServer(options.tls, (request, response) => {
      this.#receive(request, response);
    });
  }

  async listen(host: string, port: number): Promise<void> {
    const scheme = this.#options.tls ? 'https' : 'http';
    this.url = (await bindServer(this.#server, host, port, scheme)).url;
  }

  requestCount(): number {
    return this.#requestCount;
  }

  deliveredBodies(): unknown[] {
    return [...this.#deliveredBodies];
  }

  storedBodies(): unknown[] {
    return [...this.#storedBodies];
  }

  storedCount(): number {
    return this.#storedCount;
  }

  statusCounts(): Record<number, number> {
    return Object.fromEntries(this.#statusCounts);
  }

  maxRequestsInAnySecond(): number {
    return this.#peak.peak;
  }

  /**
   * Stops listening and drops every open connection, including requests
   * waiting for a delayed answer and hung ones, so it never waits on a
   * client.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const timer of this.#delayedReplies) clearTimeout(timer);
      this.#delayedReplies.clear();
      for (const response of this.#hungResponses) response.destroy();
      this.#hungResponses.clear();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  #receive(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the connection stays
      // usable and the client gets a 413 rather than a reset.
      if (size <= this.#maxBodyBytes) chunks.push(chunk);
    });
    // A client that goes away mid-request is not the sandbox's problem.
    request.on('error', () => {});
    request.on('end', () => {
      const isOversized = size > this.#maxBodyBytes;
      const body = isOversized ? undefined : Buffer.concat(chunks, size);
      this.#answer(request, response, body);
    });
  }

  #answer(
    request: IncomingMessage,
    response: ServerResponse,
    body: Buffer | undefined,
  ): void {
    const arrivedAt = performance.now();
    const entry: SandboxRequest = {
      index: this.#requestCount,
      receivedAt: performance.timeOrigin + arrivedAt,
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: body ?? EMPTY_BODY,
      remoteAddress: request.socket.remoteAddress ?? '',
      remotePort: request.socket.remotePort ?? 0,
    };
    this.#requestCount += 1;
    if (this.#isRecording) this.requests.push(entry);
    this.#peak.add(arrivedAt);

    const isLimited = this.#checkRateLimit(
      entry.remoteAddress,
      entry.receivedAt,
    );
    const normal = (): Evaluation =>
      evaluateRequest(entry, {
        isLimited,
        isOversized: body === undefined,
        rateLimit: this.#rateLimit,
        secretDigest: this.#secretDigest,
      });

    let override: ReturnType<NonNullable<SandboxOptions['respond']>>;
    try {
      override = this.#options.respond?.(entry);
    } catch {
      // A broken hook answers 500 instead of taking the server down.
      override = HOOK_FAILED;
    }
    if (!(override instanceof Promise)) {
      this.#reply(entry, response, override ? { reply: override } : normal());
      return;
    }
    override.then(
      (reply) => this.#reply(entry, response, reply ? { reply } : normal()),
      () => this.#reply(entry, response, { reply: HOOK_FAILED }),
    );
  }

  /** `receivedAt` is in ms since the Unix epoch, as both limiters expect. */
  #checkRateLimit(address: string, receivedAt: number): boolean {
    if (!this.#limiter) return false;
    const isLimited = this.#limiter.isOverLimit(address, receivedAt);
    if (this.#options.countRejected ?? true) {
      this.#limiter.record(address, receivedAt);
    }
    return isLimited;
  }

  #reply(
    entry: SandboxRequest,
    response: ServerResponse,
    evaluation: Evaluation,
  ): void {
    // A hook that settles after close() finds its connection already gone;
    // scheduling an answer now would only keep a timer alive.
    if (this.#closing) {
      response.destroy();
      return;
    }
    const { reply } = evaluation;
    const isAccepted = 'status' in reply && reply.status === 200;
    if (isAccepted && this.#limiter && this.#options.countRejected === false) {
      this.#limiter.record(entry.remoteAddress, entry.receivedAt);
    }
    // The lead is kept as soon as the answer is chosen, before any latency,
    // as a real server commits before it replies: a client killed while
    // waiting still leaves the lead stored.
    if (reply.store === true) this.#keepStored(entry, evaluation.parsedBody);
    if ('hang' in reply) {
      this.#holdOpen(response);
      return;
    }

    const delay = this.#pickLatency();
    if (delay <= 0) {
      this.#write(entry, response, evaluation);
      return;
    }
    const timer = setTimeout(() => {
      this.#delayedReplies.delete(timer);
      this.#write(entry, response, evaluation);
    }, delay);
    this.#delayedReplies.add(timer);
  }

  #write(
    entry: SandboxRequest,
    response: ServerResponse,
    { reply, parsedBody }: Evaluation,
  ): void {
    if (!('status' in reply)) {
      response.destroy();
      return;
    }

    const { status } = reply;
    this.#statusCounts.set(status, (this.#statusCounts.get(status) ?? 0) + 1);
    if (status === 200 && this.#isRecording) {
      this.#keepDelivered(entry, parsedBody);
    }
    response.writeHead(status, {
      'content-type': 'application/json',
      ...reply.headers,
    });
    response.end(reply.body ?? '');
  }

  #keepDelivered(entry: SandboxRequest, parsedBody: unknown): void {
    // A hook that answers 200 on its own has not parsed the body yet.
    const value = parsedBody ?? parseJsonBody(entry.body);
    if (value !== undefined) this.#deliveredBodies.push(value);
  }

  #keepStored(entry: SandboxRequest, parsedBody: unknown): void {
    this.#storedCount += 1;
    if (!this.#isRecording) return;
    const value = parsedBody ?? parseJsonBody(entry.body);
    this.#storedBodies.push(value ?? entry.body.toString('utf8'));
  }

  /** Holds a hung request open until the client or close() ends it. */
  #holdOpen(response: ServerResponse): void {
    this.#hungResponses.add(response);
    response.once('close', () => this.#hungResponses.delete(response));
  }

  #pickLatency(): number {
    const range = this.#options.latencyMs;
    if (!range) return 0;
    return range.min + Math.random() * (range.max - range.min);
  }
}

/** Plain HTTP, or HTTPS when given a certificate and key. */
function createServer(
  tls: SandboxTls | undefined,
  listener: RequestListener,
): HttpServer | HttpsServer {
  if (!tls) return createHttpServer(listener);
  return createHttpsServer({ cert: tls.cert, key: tls.key }, listener);
}

function createLimiter(
  limit: number,
  window: SandboxOptions['rateWindow'],
): RateLimitWindow | FixedRateLimitWindow | undefined {
  if (limit <= 0) return undefined;
  return window === 'fixed'
    ? new FixedRateLimitWindow(limit)
    : new RateLimitWindow(limit);
}

const HOOK_FAILED: SandboxReply = {
  status: 500,
  body: JSON.stringify({
    status: 'error',
    message: 'The sandbox respond hook threw.',
  }),
};
