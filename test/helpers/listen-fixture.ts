import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  Agent,
  request as httpRequest,
  type OutgoingHttpHeaders,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, expect } from 'vitest';

import { startCli, type CliResult } from './run-cli.js';
import { useTempDirectories } from './temp-directory.js';

export const SECRET = 'Tst-Secret-8f3b2c';

export const CALL_LOG = {
  call_id: 'c-2026-0100',
  duration: 120,
  direction: 'inbound',
  caller_id_number: '+919000012501',
  call_to_number: '+919000099001',
};

/** One line of the capture file, as listen writes it. */
export type CaptureRecord = {
  status: number;
  reason?: string;
  remoteAddress: string;
  headers: Record<string, string>;
  bodyBase64?: string;
  bodySha256?: string;
  bodyBytes?: number;
  parsedBody?: unknown;
  kind?: string;
  valid?: boolean;
  problems?: string[];
  matched?: boolean;
};

export type Answer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
};

export type Listener = Awaited<ReturnType<ReturnType<typeof useListenFixture>>>;

/**
 * Starts the built CLI's `listen` on 127.0.0.1, port 0, with a ready file
 * and a capture in a temp directory; stops it after the test if the test
 * did not.
 */
export function useListenFixture() {
  const makeDirectory = useTempDirectories();
  const running: Array<() => void> = [];
  afterEach(() => {
    for (const kill of running.splice(0)) kill();
  });

  return async function startListen(
    args: string[] = [],
    options: { env?: Record<string, string>; capture?: boolean } = {},
  ) {
    const directory = await makeDirectory();
    const readyFile = path.join(directory, 'ready.json');
    const capturePath = path.join(directory, 'capture.ndjson');
    const captureArgs =
      options.capture === false ? [] : ['--capture', capturePath];
    const cli = startCli({
      args: [
        'listen',
        '--port',
        '0',
        '--ready-file',
        readyFile,
        ...captureArgs,
        ...args,
      ],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET, ...options.env },
      killAfterMs: 60_000,
    });
    running.push(() => cli.child.kill('SIGKILL'));
    const ready = await waitForReadyFile(readyFile, cli.result);
    return {
      ...cli,
      ...ready,
      directory,
      capturePath,
      /** SIGTERM, then the run's result. */
      async stop(): Promise<CliResult> {
        cli.child.kill('SIGTERM');
        return cli.result;
      },
      async readCapture(): Promise<CaptureRecord[]> {
        const text = await readFile(capturePath, 'utf8');
        return text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as CaptureRecord);
      },
    };
  };
}

async function waitForReadyFile(
  readyFile: string,
  result: Promise<CliResult>,
): Promise<{ url: string; port: number; host: string }> {
  let exited: CliResult | undefined;
  void result.then((value) => (exited = value));
  while (!existsSync(readyFile)) {
    if (exited) {
      throw new Error(`listen exited ${exited.exitCode}: ${exited.stderr}`);
    }
    await sleep(20);
  }
  return JSON.parse(await readFile(readyFile, 'utf8'));
}

/** A POST (or another method) with node:http, or node:https for https URLs. */
export function send(
  url: string,
  options: {
    method?: string;
    headers?: OutgoingHttpHeaders;
    body?: string | Buffer;
    ca?: Buffer;
  } = {},
): Promise<Answer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'POST',
        headers: options.headers,
        agent: false,
        ca: options.ca,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * A JSON POST with the right secret unless `headers` says otherwise (a
 * header given as undefined is left out). Strings and bytes are sent as
 * they are; anything else as JSON.
 */
export function postEvent(
  url: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Answer> {
  const merged: Record<string, string> = {};
  const given = {
    'content-type': 'application/json',
    'x-webhook-secret': SECRET,
    ...headers,
  };
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) merged[name] = value;
  }
  const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
  return send(url, {
    headers: merged,
    body: isRaw ? body : JSON.stringify(body),
  });
}

/**
 * POSTs every body at once, with the right secret, over 20 keep-alive
 * connections. Each answer's `text` is the body it answers.
 */
export async function postAll(
  url: string,
  bodies: string[],
): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  const answers = await Promise.all(
    bodies.map(
      (body) =>
        new Promise<Answer>((resolve, reject) => {
          const outgoing = httpRequest(
            url,
            {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                'x-webhook-secret': SECRET,
              },
            },
            (response) => {
              response.resume();
              response.on('end', () =>
                resolve({
                  status: response.statusCode ?? 0,
                  headers: response.headers,
                  text: body,
                }),
              );
            },
          );
          outgoing.on('error', reject);
          outgoing.end(body);
        }),
    ),
  );
  agent.destroy();
  return answers;
}

/**
 * Writes raw bytes to the listener and returns what came back before the
 * server closed the connection, or once one whole answer (headers and a
 * Content-Length body) has arrived.
 */
export function sendRaw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = Buffer.alloc(0);
    const finish = () => {
      socket.destroy();
      resolve(received.toString('latin1'));
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (isWholeAnswer(received.toString('latin1'))) finish();
    });
    socket.on('end', finish);
    socket.on('error', reject);
  });
}

function isWholeAnswer(text: string): boolean {
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return false;
  const length = /content-length: (\d+)/i.exec(text.slice(0, split))?.[1];
  return length !== undefined && text.length - split - 4 >= Number(length);
}

export function statusOf(rawAnswer: string): number {
  return Number(rawAnswer.split(' ')[1]);
}

export function sha256(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The checks every listen test ends with: each body answered 200 is in the
 * capture exactly once as a 200 record, byte-exact by its SHA-256, and the
 * secret is in none of the capture, stdout and stderr.
 */
export function expectCapturedOnce(
  records: CaptureRecord[],
  acceptedBodies: Array<string | Buffer>,
): void {
  for (const body of acceptedBodies) {
    const matches = records.filter(
      (record) => record.status === 200 && record.bodySha256 === sha256(body),
    );
    expect(matches).toHaveLength(1);
    expect(Buffer.from(matches[0]!.bodyBase64!, 'base64')).toEqual(
      Buffer.from(body),
    );
  }
}

export function expectNoSecret(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(SECRET);
}

/** The JSON lines of a tail (--json, or stdout not a terminal). */
export function tailOf(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
