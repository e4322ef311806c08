import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, test } from 'vitest';

import type { Sandbox } from '../../src/sandbox/ingest-sandbox.js';
import { LEAD, SECRET, useSandboxFixture } from './sandbox-fixture.js';

const { useSandbox, post } = useSandboxFixture();

/** Writes raw bytes to the sandbox and returns the status line's code. */
async function sendRaw(
  sandbox: Sandbox,
  head: Buffer,
  body: Buffer,
): Promise<number> {
  const { port } = new URL(sandbox.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(Buffer.concat([head, body]));
  const answer = await new Promise<string>((resolve, reject) => {
    socket.once('data', (chunk) => resolve(chunk.toString('latin1')));
    socket.once('error', reject);
  });
  socket.destroy();
  return Number(answer.split(' ')[1]);
}

describe('answers', () => {
  test('a valid lead gets 200 success and is recorded', async () => {
    const sandbox = await useSandbox();
    const answer = await post(sandbox);

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ status: 'success' });
    expect(sandbox.deliveredBodies()).toEqual([LEAD]);
    expect(sandbox.requests).toHaveLength(1);
    const [recorded] = sandbox.requests;
    expect(recorded).toMatchObject({
      index: 0,
      method: 'POST',
      path: '/acme_test',
      remoteAddress: '127.0.0.1',
    });
    expect(Math.abs(recorded!.receivedAt - Date.now())).toBeLessThan(1000);
    expect(sandbox.statusCounts()).toEqual({ 200: 1 });
  });

  test('when the secret header is missing then it answers 401 and says so', async () => {
    const sandbox = await useSandbox();
    const answer = await post(sandbox, { secret: undefined });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({
      status: 'error',
      message: 'The X-Webhook-Secret header is missing.',
    });
    expect(sandbox.deliveredBodies()).toEqual([]);
  });

  test.each([
    ['one character short', SECRET.slice(0, -1)],
    ['empty', ''],
    ['4 KB long', 'x'.repeat(4096)],
    ['one character different', `${SECRET.slice(0, -1)}d`],
  ])(
    'when the secret is %s then it answers 401, never 500, and keeps running',
    async (_name, secret) => {
      const sandbox = await useSandbox();
      const wrong = await post(sandbox, { secret });

      expect(wrong.status).toBe(401);
      expect(wrong.text).not.toContain(SECRET);
      if (secret !== '') expect(wrong.text).not.toContain(secret);
      expect((await post(sandbox)).status).toBe(200);
    },
  );

  test('a secret ending in non-ASCII bytes gets 401', async () => {
    const sandbox = await useSandbox();
    const body = Buffer.from(JSON.stringify(LEAD));
    const head = Buffer.concat([
      Buffer.from(
        'POST /acme_test HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Webhook-Secret: Tst-Secret-8f3b2',
      ),
      Buffer.from([0xc3, 0xa9]),
      Buffer.from(`\r\nContent-Length: ${body.length}\r\n\r\n`),
    ]);

    expect(await sendRaw(sandbox, head, body)).toBe(401);
  });

  test('a UTF-8 secret sent as its bytes is accepted', async () => {
    const sandbox = await useSandbox({ secret: 'clé-secrète' });
    const body = Buffer.from(JSON.stringify(LEAD));
    const head = Buffer.concat([
      Buffer.from(
        'POST /acme_test HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Webhook-Secret: ',
      ),
      Buffer.from('clé-secrète', 'utf8'),
      Buffer.from(`\r\nContent-Length: ${body.length}\r\n\r\n`),
    ]);

    expect(await sendRaw(sandbox, head, body)).toBe(200);
  });

  test.each([
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
  ])('content type %s is accepted', async (contentType) => {
    const sandbox = await useSandbox();
    expect((await post(sandbox, { contentType })).status).toBe(200);
  });

  test.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jsonp',
  ])('content type %s gets 415 and is not delivered', async (contentType) => {
    const sandbox = await useSandbox();
    const answer = await post(sandbox, { contentType });

    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 'error' });
    expect(sandbox.deliveredBodies()).toEqual([]);
  });

  test('malformed JSON gets 400', async () => {
    const sandbox = await useSandbox();
    const answer = await post(sandbox, { body: '{"customer_name": ' });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      status: 'error',
      message: 'The request body is not valid JSON.',
    });
  });

  test('a body that is not UTF-8, or nests 6,000 levels deep, gets 400 saying which', async () => {
    const sandbox = await useSandbox();
    const notUtf8 = Buffer.concat([
      Buffer.from('{"customer_name":"'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('"}'),
    ]);
    const deep = `${'['.repeat(6000)}${']'.repeat(6000)}`;

    const answers = [
      await post(sandbox, { body: notUtf8 }),
      await post(sandbox, { body: deep }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([400, 400]);
    expect(answers.map((answer) => JSON.parse(answer.text).message)).toEqual([
      'The request body is not valid UTF-8 (first bad byte at offset 18).',
      'The request body holds JSON nested deeper than 512 levels.',
    ]);
    expect(sandbox.deliveredBodies()).toEqual([]);
  });

  test('a body starting with a UTF-8 byte order mark is accepted', async () => {
    const sandbox = await useSandbox();
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify(LEAD)),
    ]);

    expect((await post(sandbox, { body })).status).toBe(200);
    expect(sandbox.deliveredBodies()).toEqual([LEAD]);
    expect(sandbox.requests[0]!.body.subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
  });

  test('methods other than POST get 405', async () => {
    const sandbox = await useSandbox();
    const answer = await post(sandbox, { method: 'PUT' });

    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  test('a body over maxBodyBytes gets 413 and the connection stays usable', async () => {
    const sandbox = await useSandbox({ maxBodyBytes: 100 });
    const body = JSON.stringify({ ...LEAD, transcript: 'x'.repeat(200) });

    expect((await post(sandbox, { body })).status).toBe(413);
    expect((await post(sandbox)).status).toBe(200);
  });
});

describe('rate limit', () => {
  test('past the limit within one second it answers 429 with Retry-After 1', async () => {
    const sandbox = await useSandbox({ rateLimit: 5 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post(sandbox)),
    );

    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0]!.headers['retry-after']).toBe('1');
    expect(sandbox.statusCounts()).toEqual({ 200: 5, 429: 3 });
    expect(sandbox.maxRequestsInAnySecond()).toBe(8);
  });

  test('requests answered 429 count toward the limit by default', async () => {
    const sandbox = await useSandbox({ rateLimit: 2 });
    await Promise.all([post(sandbox), post(sandbox)]);
    await sleep(600);
    expect((await post(sandbox)).status).toBe(429);
    expect((await post(sandbox)).status).toBe(429);
    await sleep(500);

    // The first two left the window; the two 429s have not.
    expect((await post(sandbox)).status).toBe(429);
  });

  test('with countRejected false only accepted requests count', async () => {
    const sandbox = await useSandbox({ rateLimit: 2, countRejected: false });
    await Promise.all([post(sandbox), post(sandbox)]);
    await sleep(600);
    expect((await post(sandbox)).status).toBe(429);
    await sleep(500);

    expect((await post(sandbox)).status).toBe(200);
  });

  test('rateLimit 0 turns the limit off', async () => {
    const sandbox = await useSandbox({ rateLimit: 0 });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => post(sandbox)),
    );

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(sandbox.maxRequestsInAnySecond()).toBe(100);
  });
});

describe('fault hook and latency', () => {
  test('the hook can override the answer, also asynchronously', async () => {
    const sandbox = await useSandbox({
      respond: async (request) =>
        request.index === 0
          ? { status: 500, body: '{"status":"error","message":"boom"}' }
          : request.index === 1
            ? { status: 429, headers: { 'retry-after': '3' } }
            : undefined,
    });

    expect((await post(sandbox)).status).toBe(500);
    const limited = await post(sandbox);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect((await post(sandbox)).status).toBe(200);
    expect(sandbox.statusCounts()).toEqual({ 200: 1, 429: 1, 500: 1 });
    expect(sandbox.deliveredBodies()).toEqual([LEAD]);
  });

  test('a hook that throws gives 500 and the sandbox keeps running', async () => {
    let calls = 0;
    const sandbox = await useSandbox({
      respond: () => {
        calls += 1;
        if (calls === 1) throw new Error('broken hook');
        return undefined;
      },
    });

    expect((await post(sandbox)).status).toBe(500);
    expect((await post(sandbox)).status).toBe(200);
  });

  test('the hook can drop the connection without answering', async () => {
    const sandbox = await useSandbox({ respond: () => ({ destroy: true }) });

    await expect(post(sandbox)).rejects.toThrow();
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.statusCounts()).toEqual({});
  });

  test('latency delays every answer within the range', async () => {
    const sandbox = await useSandbox({ latencyMs: { min: 80, max: 120 } });
    const startedAt = performance.now();
    await post(sandbox);

    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(79);
  });

  test('close() does not wait for delayed answers', async () => {
    const sandbox = await useSandbox({
      latencyMs: { min: 10_000, max: 10_000 },
    });
    const pending = post(sandbox).catch(() => 'dropped');
    await sleep(50);
    const startedAt = performance.now();
    await sandbox.close();

    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });
});

describe('recording', () => {
  test('with record false it keeps counts only', async () => {
    const sandbox = await useSandbox({ record: false });
    await Promise.all([post(sandbox), post(sandbox, { secret: 'nope' })]);

    expect(sandbox.requests).toEqual([]);
    expect(sandbox.deliveredBodies()).toEqual([]);
    expect(sandbox.requestCount()).toBe(2);
    expect(sandbox.statusCounts()).toEqual({ 200: 1, 401: 1 });
    expect(sandbox.maxRequestsInAnySecond()).toBe(2);
  });

  test('the url is http://127.0.0.1:PORT with a real port', async () => {
    const sandbox = await useSandbox();
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(sandbox.url).port).not.toBe('0');
  });
});
