import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

import { afterEach } from 'vitest';

/** One request as the app got it. */
export type AppRequest = {
  method: string;
  path: string;
  /** Name, value, name, value… as on the wire. */
  rawHeaders: string[];
  body: Buffer;
  /** performance.now() when the request's headers arrived. */
  receivedAt: number;
};

export interface AppServerOptions {
  /** The status to answer; 200 unless given. */
  status?: number;
  /** The body to answer; `{"received":true}` unless given. */
  answer?: string;
  /** Hold every answer until `release()`. */
  isHeld?: boolean;
}

export type AppServer = Awaited<ReturnType<ReturnType<typeof useAppServer>>>;

/**
 * The developer's app, for --forward-to: an HTTP server on 127.0.0.1 that
 * records each request in arrival order and answers it, at once or when
 * released. Closed after each test.
 */
export function useAppServer() {
  const servers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((close) => close()));
  });

  return async function startAppServer(options: AppServerOptions = {}) {
    const requests: AppRequest[] = [];
    const held: Array<() => void> = [];
    let isHeld = options.isHeld ?? false;
    const arrivals = new Set<() => void>();

    const server = createServer((request, response) => {
      void record(request).then((appRequest) => {
        requests.push(appRequest);
        for (const notify of arrivals) notify();
        const answer = () => respond(response, options);
        if (isHeld) held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const close = async () => {
      for (const answer of held.splice(0)) answer();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    };
    servers.push(close);
    const { port } = server.address() as AddressInfo;

    return {
      url: `http://127.0.0.1:${port}`,
      port,
      requests,
      /** Answers the held requests, and from now on answers at once. */
      release(): void {
        isHeld = false;
        for (const answer of held.splice(0)) answer();
      },
      /** Resolves once `count` requests have arrived. */
      waitForRequests(count: number): Promise<void> {
        return new Promise((resolve) => {
          const check = () => {
            if (requests.length < count) return;
            arrivals.delete(check);
            resolve();
          };
          arrivals.add(check);
          check();
        });
      },
      close,
    };
  };
}

function record(request: IncomingMessage): Promise<AppRequest> {
  const receivedAt = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () =>
      resolve({
        method: request.method ?? '',
        path: request.url ?? '',
        rawHeaders: request.rawHeaders,
        body: Buffer.concat(chunks),
        receivedAt,
      }),
    );
  });
}

function respond(response: ServerResponse, options: AppServerOptions): void {
  if (response.destroyed) return;
  response.writeHead(options.status ?? 200, {
    'content-type': 'application/json',
  });
  response.end(options.answer ?? '{"received":true}');
}

/** A header's values in a recorded request, by name in any case. */
export function headerValues(request: AppRequest, name: string): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name.toLowerCase()) {
      values.push(request.rawHeaders[index + 1]!);
    }
  }
  return values;
}

/** A port on 127.0.0.1 that nothing listens on: an app that is down. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
