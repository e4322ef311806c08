import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { evaluateRequest, type Evaluation } from './evaluate-request.js';
import { digestSecret, parseJsonBody } from './request-checks.js';
import { PeakWindowCounter, RateLimitWindow } from './sliding-window.js';

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
   * Most requests one remote address may make in any sliding one-second
   * window; later ones get 429 with `Retry-After: 1`. Default 60, the
   * documented AstraDial limit. 0 turns the limit off.
   */
  rateLimit?: number;
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
   * Keep every request and delivered body (default true). Benchmarks pass
   * false: the counters and the peak window still work, but `requests` and
   * `deliveredBodies()` stay empty, so a million requests cost no memory.
   */
  record?: boolean;
  /** Larger bodies get 413. Default 1 MB. */
  maxBodyBytes?: number;
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

export type SandboxReply =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Drop the connection without answering. */
  | { destroy: true };

export interface Sandbox {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** Every request received, in arrival order (empty with `record: false`). */
  readonly requests: SandboxRequest[];
  /** Total requests received, recorded or not. */
  requestCount(): number;
  /** Parsed bodies of the requests answered 200, in answer order. */
  deliveredBodies(): unknown[];
  /** Answers sent, by status; dropped connections are not counted. */
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
  readonly #server: Server;
  readonly #secretDigest: Buffer;
  readonly #rateLimit: number;
  readonly #limiter: RateLimitWindow | undefined;
  readonly #isRecording: boolean;
  readonly #maxBodyBytes: number;
  readonly #peak = new PeakWindowCounter();
  readonly #statusCounts = new Map<number, number>();
  readonly #deliveredBodies: unknown[] = [];
  readonly #delayedReplies = new Set<NodeJS.Timeout>();
  #requestCount = 0;
  #closing: Promise<void> | undefined;

  constructor(options: SandboxOptions) {
    this.#options = options;
    this.#secretDigest = digestSecret(Buffer.from(options.secret, 'utf8'));
    this.#rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.#limiter =
      this.#rateLimit > 0 ? new RateLimitWindow(this.#rateLimit) : undefined;
    this.#isRecording = options.record ?? true;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#server = createServer((request, response) => {
      this.#receive(request, response);
    });
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as AddressInfo;
    const hostname =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${hostname}:${address.port}`;
  }

  requestCount(): number {
    return this.#requestCount;
  }

  deliveredBodies(): unknown[] {
    return [...this.#deliveredBodies];
  }

  statusCounts(): Record<number, number> {
    return Object.fromEntries(this.#statusCounts);
  }

  maxRequestsInAnySecond(): number {
    return this.#peak.peak;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const timer of this.#delayedReplies) clearTimeout(timer);
      this.#delayedReplies.clear();
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

    const isLimited = this.#checkRateLimit(entry.remoteAddress, arrivedAt);
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

  #checkRateLimit(address: string, arrivedAt: number): boolean {
    if (!this.#limiter) return false;
    const isLimited = this.#limiter.isOverLimit(address, arrivedAt);
    if (this.#options.countRejected ?? true) {
      this.#limiter.record(address, arrivedAt);
    }
    return isLimited;
  }

  #reply(
    entry: SandboxRequest,
    response: ServerResponse,
    evaluation: Evaluation,
  ): void {
    const { reply } = evaluation;
    const isAccepted = 'status' in reply && reply.status === 200;
    if (isAccepted && this.#limiter && this.#options.countRejected === false) {
      const arrivedAt = entry.receivedAt - performance.timeOrigin;
      this.#limiter.record(entry.remoteAddress, arrivedAt);
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
    if ('destroy' in reply) {
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

  #pickLatency(): number {
    const range = this.#options.latencyMs;
    if (!range) return 0;
    return range.min + Math.random() * (range.max - range.min);
  }
}

const HOOK_FAILED: SandboxReply = {
  status: 500,
  body: JSON.stringify({
    status: 'error',
    message: 'The sandbox respond hook threw.',
  }),
};
