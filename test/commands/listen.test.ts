import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  expectNoSecret,
  postAll,
  postEvent,
  SECRET,
  send,
  sendRaw,
  statusOf,
  tailOf,
  useListenFixture,
  type Answer,
  type Listener,
} from '../helpers/listen-fixture.js';

const startListen = useListenFixture();

const TAG_UPDATE = {
  customer_id: 'acme_test',
  call_id: 'c-2026-0200',
  tag: ['interested'],
};

/** Stops the listener and runs the checks every test ends with. */
async function stopAndCheck(
  listener: Listener,
  acceptedBodies: Array<string | Buffer>,
) {
  const result = await listener.stop();
  const records = await listener.readCapture();
  expectCapturedOnce(records, acceptedBodies);
  expectNoSecret(
    await readFile(listener.capturePath, 'utf8'),
    result.stdout,
    result.stderr,
  );
  return { result, records };
}

describe('listen: content type and body', () => {
  test('application/json with parameters, in any case and after a BOM, is accepted; other types get 415', async () => {
    const listener = await startListen();
    const bodies = ['charset', 'upper', 'bom'].map((name) =>
      JSON.stringify({ ...CALL_LOG, call_id: `c-${name}` }),
    );
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(bodies[2]!),
    ]);

    const answers = [
      await postEvent(listener.url, bodies[0], {
        'content-type': 'application/json; charset=utf-8',
      }),
      await postEvent(listener.url, bodies[1], {
        'content-type': 'Application/JSON',
      }),
      await postEvent(listener.url, withBom),
    ];
    const refused = [
      await postEvent(listener.url, '{"a":1}', {
        'content-type': 'text/plain',
      }),
      await postEvent(listener.url, '{"a":2}', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers[0]!.text).toBe('{"status":"success"}');
    expect(refused.map((answer) => answer.status)).toEqual([415, 415]);
    const { records, result } = await stopAndCheck(listener, [
      bodies[0]!,
      bodies[1]!,
      withBom,
    ]);
    expect(records.filter((record) => record.status === 415)).toHaveLength(2);
    const tail = tailOf(result.stdout);
    expect(tail.filter((line) => line.kind === 'call_log')).toHaveLength(3);
    expect(tail.filter((line) => line.status === 415)[0]?.reason).toMatch(
      /text\/plain/,
    );
  });

  test('malformed JSON gets 400 and is captured with that status', async () => {
    const listener = await startListen();

    const answer = await postEvent(listener.url, '{"call_id":');

    expect(answer.status).toBe(400);
    const { records } = await stopAndCheck(listener, []);
    expect(records.map((record) => record.status)).toEqual([400]);
    expect(records[0]!.bodyBytes).toBe(11);
  });

  test('a 2 MB body gets 413, with or without Content-Length, and the next request is served', async () => {
    const listener = await startListen();
    const big = JSON.stringify({
      ...CALL_LOG,
      notes: 'x'.repeat(2 * 1024 * 1024),
    });

    const declared = await postEvent(listener.url, big);
    const chunked = await send(listener.url, {
      headers: {
        'content-type': 'application/json',
        'x-webhook-secret': SECRET,
        'transfer-encoding': 'chunked',
      },
      body: big,
    });
    const next = await postEvent(listener.url, CALL_LOG);

    expect([declared.status, chunked.status, next.status]).toEqual([
      413, 413, 200,
    ]);
    const { records, result } = await stopAndCheck(listener, [
      JSON.stringify(CALL_LOG),
    ]);
    const rejected = records.filter((record) => record.status === 413);
    expect(rejected).toHaveLength(2);
    expect(rejected.every((record) => record.bodyBase64 === undefined)).toBe(
      true,
    );
    expect(result.stdout).toMatch(/over --max-body \(1048576 bytes\)/);
  });

  test('--max-body takes sizes such as 512kb', async () => {
    const listener = await startListen(['--max-body', '1kb']);

    const over = await postEvent(listener.url, {
      ...CALL_LOG,
      notes: 'x'.repeat(1100),
    });
    const under = await postEvent(listener.url, CALL_LOG);

    expect([over.status, under.status]).toEqual([413, 200]);
    await stopAndCheck(listener, [JSON.stringify(CALL_LOG)]);
  });
});

describe('listen: slow clients', () => {
  test('a client that stalls after its headers gets 408 while others are served', async () => {
    const listener = await startListen(['--request-timeout', '1s']);
    const stalled = sendRaw(
      listener.port,
      [
        'POST / HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `X-Webhook-Secret: ${SECRET}`,
        'Content-Length: 100',
        '',
        '{"call_id":',
      ].join('\r\n'),
    );

    const other = await postEvent(listener.url, CALL_LOG);

    expect(other.status).toBe(200);
    expect(statusOf(await stalled)).toBe(408);
    const { records } = await stopAndCheck(listener, [
      JSON.stringify(CALL_LOG),
    ]);
    expect(records.map((record) => record.status).sort()).toEqual([200, 408]);
  });

  test('a client that stalls inside its headers is disconnected', async () => {
    const listener = await startListen(['--request-timeout', '1s']);

    const answer = await sendRaw(listener.port, 'POST / HTTP/1.1\r\nHost: 1');
    const other = await postEvent(listener.url, CALL_LOG);

    expect(answer === '' || statusOf(answer) === 408).toBe(true);
    expect(other.status).toBe(200);
    await stopAndCheck(listener, [JSON.stringify(CALL_LOG)]);
  });
});

describe('listen: bursts and the rate limit', () => {
  function burst(url: string, count: number): Promise<Answer[]> {
    const bodies = Array.from({ length: count }, (_, index) =>
      JSON.stringify({ ...CALL_LOG, call_id: `c-burst-${index}` }),
    );
    return postAll(url, bodies);
  }

  test('200 requests at once are all answered 200 with --rate-limit 0, each captured once', async () => {
    const listener = await startListen(['--rate-limit', '0']);

    const answers = await burst(listener.url, 200);

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const { records } = await stopAndCheck(
      listener,
      answers.map((answer) => answer.text),
    );
    expect(records).toHaveLength(200);
  });

  test('past 60 requests in a second from one address, 429 with Retry-After', async () => {
    const listener = await startListen();

    const answers = await burst(listener.url, 200);

    const accepted = answers.filter((answer) => answer.status === 200);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(accepted.length + limited.length).toBe(200);
    expect(accepted.length).toBeGreaterThanOrEqual(60);
    expect(limited.length).toBeGreaterThan(0);
    expect(
      limited.every((answer) => answer.headers['retry-after'] === '1'),
    ).toBe(true);
    const { records } = await stopAndCheck(
      listener,
      accepted.map((answer) => answer.text),
    );
    expect(records.filter((record) => record.status === 429)).toHaveLength(
      limited.length,
    );
  });
});

describe('listen: the secret', () => {
  test('missing, wrong header name and wrong values get 401 saying which, never 500, and the listener keeps going', async () => {
    const listener = await startListen();
    const wrongValues = ['', 'k'.repeat(4096), SECRET.slice(0, -1)];

    const answers = [
      await postEvent(listener.url, CALL_LOG, {
        'x-webhook-secret': undefined,
      }),
      await postEvent(listener.url, CALL_LOG, {
        'x-webhook-secret': undefined,
        'x-webhook-token': SECRET,
      }),
      await postEvent(listener.url, CALL_LOG, {
        'x-webhook-secret': undefined,
        authorization: `Bearer ${SECRET}`,
      }),
      ...(await Promise.all(
        wrongValues.map((value) =>
          postEvent(listener.url, CALL_LOG, { 'x-webhook-secret': value }),
        ),
      )),
    ];
    const nonAscii = await sendRaw(
      listener.port,
      Buffer.concat([
        Buffer.from(
          'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nX-Webhook-Secret: Tst-Secret-8f3b2',
        ),
        Buffer.from([0xc3, 0xa9]),
        Buffer.from('\r\nConnection: close\r\n\r\n{}'),
      ]),
    );
    const right = await postEvent(listener.url, CALL_LOG);

    expect(answers.map((answer) => answer.status)).toEqual([
      401, 401, 401, 401, 401, 401,
    ]);
    expect(statusOf(nonAscii)).toBe(401);
    expect(right.status).toBe(200);
    const { result } = await stopAndCheck(listener, [JSON.stringify(CALL_LOG)]);
    const reasons = tailOf(result.stdout)
      .filter((line) => line.status === 401)
      .map((line) => line.reason);
    expect(reasons).toEqual([
      'missing X-Webhook-Secret header',
      expect.stringMatching(/^wrong header name: found x-webhook-token/),
      expect.stringMatching(/^wrong header name: found authorization/),
      'wrong value: X-Webhook-Secret is empty',
      'wrong value in X-Webhook-Secret',
      'wrong value in X-Webhook-Secret',
      'wrong value in X-Webhook-Secret',
    ]);
    expect(answers.map((answer) => answer.text).join('')).not.toContain(
      SECRET.slice(0, -1),
    );
  });
});

describe('listen: who may send, where and how', () => {
  test.each([
    [['--allow-ip', '10.0.0.0/8'], {}, 403],
    [['--allow-ip', 'astradial'], {}, 403],
    [['--allow-ip', '127.0.0.0/8'], {}, 200],
    [['--allow-ip', '10.0.0.0/8', '--allow-ip', '127.0.0.1'], {}, 200],
    [['--allow-ip', '10.0.0.0/8'], { 'x-forwarded-for': '10.1.2.3' }, 403],
    [
      ['--allow-ip', '10.0.0.0/8', '--trust-proxy'],
      { 'x-forwarded-for': '127.0.0.1, 10.1.2.3' },
      200,
    ],
    [
      ['--allow-ip', '10.0.0.0/8', '--trust-proxy'],
      { 'x-forwarded-for': '10.1.2.3, 127.0.0.1' },
      403,
    ],
  ])(
    'with %j and headers %j, the answer is %i',
    async (args, headers, status) => {
      const listener = await startListen(args);

      const answer = await postEvent(listener.url, CALL_LOG, headers);

      expect(answer.status).toBe(status);
      await stopAndCheck(
        listener,
        status === 200 ? [JSON.stringify(CALL_LOG)] : [],
      );
    },
  );

  test('other methods get 405; --path answers 404 elsewhere', async () => {
    const listener = await startListen(['--path', '/acme']);

    const get = await send(`${listener.url}/acme`, {
      method: 'GET',
      headers: { 'x-request-id': 'get-1' },
    });
    const elsewhere = await postEvent(`${listener.url}/other`, CALL_LOG);
    const right = await postEvent(`${listener.url}/acme?attempt=1`, TAG_UPDATE);

    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(elsewhere.status).toBe(404);
    expect(right.status).toBe(200);
    const { records } = await stopAndCheck(listener, [
      JSON.stringify(TAG_UPDATE),
    ]);
    // The capture keeps the headers as received, not those of the answer.
    const refused = records.find((record) => record.status === 405);
    expect(refused?.headers).toMatchObject({ 'x-request-id': 'get-1' });
    expect(refused?.headers).not.toHaveProperty('allow');
  });

  test('HTTPS with --cert and --key', async () => {
    const tls = new URL('../tls/', import.meta.url);
    const listener = await startListen([
      '--cert',
      new URL('cert.pem', tls).pathname,
      '--key',
      new URL('key.pem', tls).pathname,
    ]);

    const answer = await send(listener.url, {
      headers: {
        'content-type': 'application/json',
        'x-webhook-secret': SECRET,
      },
      body: JSON.stringify(CALL_LOG),
      ca: await readFile(new URL('cert.pem', tls)),
    });

    expect(listener.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(answer.status).toBe(200);
    await stopAndCheck(listener, [JSON.stringify(CALL_LOG)]);
  });
});

describe('listen: events and their schemas', () => {
  const invalidCallLog = JSON.stringify({ ...CALL_LOG, duration: '95' });

  test('an invalid event is acknowledged and marked invalid in the tail and the capture', async () => {
    const listener = await startListen();

    const answer = await postEvent(listener.url, invalidCallLog);
    const unknown = await postEvent(listener.url, { hello: 'world' });

    expect([answer.status, unknown.status]).toEqual([200, 200]);
    const { records, result } = await stopAndCheck(listener, [
      invalidCallLog,
      '{"hello":"world"}',
    ]);
    expect(records[0]).toMatchObject({
      kind: 'call_log',
      valid: false,
      problems: [expect.stringMatching(/^duration: /)],
    });
    expect(records[1]).toMatchObject({ kind: 'unknown', valid: false });
    expect(tailOf(result.stdout)[0]).toMatchObject({
      kind: 'call_log',
      valid: false,
    });
  });

  test('--strict answers 400 to an invalid event', async () => {
    const listener = await startListen(['--strict']);

    const invalid = await postEvent(listener.url, invalidCallLog);
    const valid = await postEvent(listener.url, CALL_LOG);

    expect([invalid.status, valid.status]).toEqual([400, 200]);
    expect(invalid.text).toMatch(/duration/);
    const { records } = await stopAndCheck(listener, [
      JSON.stringify(CALL_LOG),
    ]);
    expect(records[0]).toMatchObject({ status: 400, kind: 'call_log' });
  });

  test('--events shows only the kinds named; the summary counts the rest', async () => {
    const listener = await startListen(['--events', 'call_log', '--json']);

    await postEvent(listener.url, CALL_LOG);
    await postEvent(listener.url, TAG_UPDATE);

    const { records, result } = await stopAndCheck(listener, [
      JSON.stringify(CALL_LOG),
      JSON.stringify(TAG_UPDATE),
    ]);
    const lines = tailOf(result.stdout);
    expect(lines.filter((line) => line.type === 'event')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      byKind: { call_log: 1 },
      filteredOut: 1,
    });
    expect(records.map((record) => record.matched)).toEqual([true, false]);
  });

  test('--strict with --events still shows a 400 for a kind left out: rejections are always shown', async () => {
    const listener = await startListen([
      '--strict',
      '--events',
      'tag_update',
      '--json',
    ]);

    const invalid = await postEvent(listener.url, {
      ...CALL_LOG,
      duration: '95',
    });

    expect(invalid.status).toBe(400);
    const { result } = await stopAndCheck(listener, []);
    expect(tailOf(result.stdout)[0]).toMatchObject({
      type: 'rejected',
      status: 400,
      kind: 'call_log',
    });
  });

  test('--verbose adds the headers to the tail, the secret masked', async () => {
    const listener = await startListen(['--verbose']);

    await postEvent(listener.url, CALL_LOG);

    const { result } = await stopAndCheck(listener, [JSON.stringify(CALL_LOG)]);
    expect(tailOf(result.stdout)[0]).toMatchObject({
      headers: {
        'x-webhook-secret': '********',
        'content-type': 'application/json',
      },
    });
  });
});
