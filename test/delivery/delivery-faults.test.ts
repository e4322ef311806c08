import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import { leadJobs, SECRET, useQueueFixture } from './queue-fixture.js';

const fixture = useQueueFixture();
const TLS_DIRECTORY = new URL('../tls/', import.meta.url);

describe('faults that stop the whole run', () => {
  test('a TLS certificate nobody trusts stops at once, with nothing sent', async () => {
    const sandbox = await fixture.sandbox({
      tls: {
        cert: await readFile(new URL('cert.pem', TLS_DIRECTORY)),
        key: await readFile(new URL('key.pem', TLS_DIRECTORY)),
      },
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(3));

    expect(run.queue.stopReason).toEqual({
      kind: 'tls',
      detail: expect.stringMatching(
        /^The server's TLS certificate was not accepted: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)\. If your network inspects HTTPS through a proxy, give Node its certificate authority with NODE_EXTRA_CA_CERTS/,
      ),
    });
    expect(run.settled).toEqual([]);
    expect(run.queue.unsent()).toHaveLength(3);
    expect(sandbox.requestCount()).toBe(0);
  });

  test('a host name that never resolved stops the run as host_not_found', async () => {
    const run = await fixture.deliver(
      'http://astradial-test.invalid/acme_test',
      leadJobs(2),
    );

    expect(run.queue.stopReason).toMatchObject({
      kind: 'host_not_found',
      detail: expect.stringContaining('(ENOTFOUND)'),
    });
    expect(run.queue.unsent()).toHaveLength(2);
  });

  test('a 3xx answer stops the run; the lead was not stored, so it is unsent', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 302, headers: { location: '/login' } }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2), {
      rate: 5,
    });

    expect(run.queue.stopReason).toMatchObject({
      kind: 'unexpected_answer',
      status: 302,
      detail: expect.stringContaining('Check the URL.'),
    });
    expect(run.settled).toEqual([]);
    expect(run.queue.unsent()).toHaveLength(2);
  });

  test('only 503s for longer than maxWaitMs pause sending, then stop the run as unavailable', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 503, body: '{"message":"maintenance"}' }),
    });
    const run = await fixture.deliver(
      `${sandbox.url}/acme_test`,
      leadJobs(20),
      {
        maxWaitMs: 300,
        maxAttempts: 1000,
      },
    );

    expect(run.queue.stopReason).toEqual({
      kind: 'unavailable',
      detail: expect.stringMatching(
        /^The server gave only errors for [\d.]+ s, longer than --max-wait \(0\.3 s\); the last: 503 Service Unavailable: maintenance$/,
      ),
    });
    expect(run.events).toContainEqual(
      expect.objectContaining({ type: 'outage', failuresInRow: 3 }),
    );
    expect(run.settled).toEqual([]);
    expect(run.queue.unsent()).toHaveLength(20);
    expect(sandbox.storedCount()).toBe(0);
  });

  test('a healthy answer between failures keeps the run going', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index % 2 === 0 ? { status: 503, body: 'busy' } : undefined,
    });
    // At 10/s the run lasts longer than maxWaitMs; no failure streak does.
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(6), {
      rate: 10,
      maxWaitMs: 250,
      maxAttempts: 50,
    });

    expect(run.queue.stopReason).toBeUndefined();
    expect(run.settled.map((entry) => entry.outcome.kind)).toEqual(
      Array.from({ length: 6 }, () => 'delivered'),
    );
  });
});

describe('the caller hears before and after each attempt', () => {
  test('beforeSend finishes before the request leaves, every attempt', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0 ? { status: 500, body: 'once' } : undefined,
    });
    const order: string[] = [];
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1), {
      beforeSend: async (row) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push(
          `durable ${row.line} with ${sandbox.requestCount()} requests seen`,
        );
      },
      onNotStored: (row) => order.push(`not stored ${row.line}`),
    });

    expect(order).toEqual([
      'durable 2 with 0 requests seen',
      'not stored 2',
      'durable 2 with 1 requests seen',
    ]);
    expect(run.settled[0]!.outcome).toEqual({ kind: 'delivered', attempts: 2 });
  });

  test('a beforeSend that fails stops the run before anything is sent', async () => {
    const sandbox = await fixture.sandbox();
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(3), {
      beforeSend: () => Promise.reject(new Error('disk full (ENOSPC)')),
    });

    expect(run.queue.stopReason).toEqual({
      kind: 'before_send_failed',
      detail: 'disk full (ENOSPC)',
    });
    expect(run.queue.unsent()).toHaveLength(3);
    expect(sandbox.requestCount()).toBe(0);
  });

  test('jobs sharing one beforeSend promise leave together once it resolves, or are all unsent when it rejects', async () => {
    const sandbox = await fixture.sandbox();
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const { queue, settled } = fixture.queue(`${sandbox.url}/acme_test`, {
      rate: 1000,
      beforeSend: () => opened,
    });
    for (const job of leadJobs(4)) await queue.submit(job);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandbox.requestCount()).toBe(0);
    expect(queue.stats().inFlight).toBe(4);

    open();
    await queue.finish();
    expect(settled.map((entry) => entry.outcome.kind)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);

    const refused = Promise.reject(new Error('disk full (ENOSPC)'));
    const failing = await fixture.deliver(
      `${sandbox.url}/acme_test`,
      leadJobs(3),
      { rate: 1000, beforeSend: () => refused },
    );
    expect(failing.queue.stopReason).toEqual({
      kind: 'before_send_failed',
      detail: 'disk full (ENOSPC)',
    });
    expect(failing.queue.unsent()).toHaveLength(3);
    expect(sandbox.requestCount()).toBe(4);
  });

  test('jobs past beforeSend wait for a free connection; a stop leaves them unsent and tells the caller', async () => {
    const sandbox = await fixture.sandbox({
      latencyMs: { min: 300, max: 300 },
    });
    const notStored: number[] = [];
    const { queue, settled } = fixture.queue(`${sandbox.url}/acme_test`, {
      rate: 1000,
      maxInFlight: 2,
      beforeSend: () => Promise.resolve(),
      onNotStored: (row) => notStored.push(row.line),
    });
    for (const job of leadJobs(6)) await queue.submit(job);
    // The answers take 300 ms: meanwhile every job gets past beforeSend.
    while (sandbox.requestCount() < 2 || queue.stats().queued > 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(queue.stats()).toMatchObject({ inFlight: 6, delivered: 0 });

    queue.stopAccepting();
    await queue.finish();
    expect(sandbox.requestCount()).toBe(2);
    expect(settled.map((entry) => entry.job.context.line)).toEqual([2, 3]);
    expect(queue.unsent().map((job) => job.context.line)).toEqual([4, 5, 6, 7]);
    expect(notStored).toEqual([4, 5, 6, 7]);
  });

  test('a 429 holds rows already past beforeSend too: none is written during the pause', async () => {
    const sandbox = await fixture.sandbox({
      latencyMs: { min: 100, max: 100 },
      respond: (request) =>
        request.index === 0
          ? { status: 429, headers: { 'retry-after': '1' } }
          : undefined,
    });
    const notStored: number[] = [];
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(5), {
      rate: 1000,
      maxInFlight: 1,
      beforeSend: () => Promise.resolve(),
      onNotStored: (row) => notStored.push(row.line),
    });

    const [first, ...later] = sandbox.requests.map(
      (request) => request.receivedAt,
    );
    expect(later).toHaveLength(5);
    // The 429 came 100 ms after the first request; its pause lasts 1 s.
    expect(Math.min(...later) - first!).toBeGreaterThanOrEqual(1000);
    expect(notStored).toContain(2);
    expect(notStored.length).toBeGreaterThan(1);
    expect(run.settled.map((entry) => entry.outcome.kind)).toEqual(
      Array.from({ length: 5 }, () => 'delivered'),
    );
    expect(
      run.settled.find((entry) => entry.job.context.line === 3)!.outcome,
    ).toEqual({ kind: 'delivered', attempts: 1 });
  });

  test('a 429 tells how many requests were written in the second before it', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 3
          ? { status: 429, headers: { 'retry-after': '0' } }
          : undefined,
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(6), {
      rate: 50,
    });

    const paused = run.events.find((event) => event.type === 'paused');
    expect(paused).toMatchObject({ sentLastSecond: expect.any(Number) });
    const { sentLastSecond } = paused as { sentLastSecond: number };
    expect(sentLastSecond).toBeGreaterThanOrEqual(4);
    expect(sentLastSecond).toBeLessThanOrEqual(6);
    expect(sandbox.storedCount()).toBe(6);
    expect(JSON.stringify(run.events)).not.toContain(SECRET);
  });
});
