import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { describe, expect, onTestFinished, test, vi } from 'vitest';

import { MAX_TIMER_DELAY_MS } from '../../src/delivery/long-timer.js';
import {
  leadJobs,
  reportedText,
  SECRET,
  useQueueFixture,
} from './queue-fixture.js';

const fixture = useQueueFixture();

/** A port on 127.0.0.1 that was open a moment ago and is now closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('answers', () => {
  test('200 success: every lead delivered once, with the secret only in its header', async () => {
    const sandbox = await fixture.sandbox();
    const jobs = leadJobs(5);
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, jobs);

    expect(run.settled.map((entry) => entry.outcome)).toEqual(
      Array.from({ length: 5 }, () => ({ kind: 'delivered', attempts: 1 })),
    );
    expect(run.settled.map((entry) => entry.job.context.line).sort()).toEqual([
      2, 3, 4, 5, 6,
    ]);
    expect(sandbox.deliveredBodies()).toEqual(
      expect.arrayContaining(jobs.map((job) => JSON.parse(job.body))),
    );
    const [first] = sandbox.requests;
    expect(first!.path).toBe('/acme_test');
    expect(first!.headers['x-webhook-secret']).toBe(SECRET);
    expect(first!.headers['content-type']).toBe('application/json');
    expect(
      sandbox.requests.map((request) => request.body.toString()).sort(),
    ).toEqual(jobs.map((job) => job.body).sort());
    expect(run.queue.stats()).toMatchObject({
      sent: 5,
      delivered: 5,
      inFlight: 0,
      queued: 0,
    });
  });

  test('200 with another body: the lead is uncertain, not retried, and the run stops', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 200, body: '{"status":"queued"}' }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(3), {
      rate: 5,
    });

    expect(run.settled).toEqual([
      {
        job: expect.objectContaining({ context: { line: 2 } }),
        outcome: {
          kind: 'uncertain',
          detail:
            'The server answered 200 without {"status":"success"}: {"status":"queued"}. A proxy or a Wi-Fi login page may be answering instead of AstraDial.',
          attempts: 1,
        },
      },
    ]);
    expect(run.queue.stopReason).toMatchObject({
      kind: 'unexpected_answer',
      status: 200,
    });
    expect(run.queue.unsent().map((job) => job.context.line)).toEqual([3, 4]);
    expect(sandbox.requestCount()).toBe(1);
  });

  test('a success body longer than 16 KB is delivered', async () => {
    const echo = 'x'.repeat(40 * 1024);
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 200,
        body: JSON.stringify({ id: 7, echo, status: 'success' }),
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2));

    expect(run.settled.map((entry) => entry.outcome)).toEqual([
      { kind: 'delivered', attempts: 1 },
      { kind: 'delivered', attempts: 1 },
    ]);
  });

  test('a success body over 64 KB is delivered when "status":"success" comes first', async () => {
    const echo = 'x'.repeat(200 * 1024);
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 200,
        body: JSON.stringify({ status: 'success', echo }),
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2));

    expect(run.settled.map((entry) => entry.outcome)).toEqual([
      { kind: 'delivered', attempts: 1 },
      { kind: 'delivered', attempts: 1 },
    ]);
  });

  test('a 200 body over 64 KB with "status" further on is uncertain, saying why', async () => {
    const echo = 'x'.repeat(200 * 1024);
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 200,
        body: JSON.stringify({ echo, status: 'success' }),
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1));

    expect(run.settled[0]!.outcome).toEqual({
      kind: 'uncertain',
      detail: expect.stringMatching(
        /^The server answered 200 with a body over 64 KB that does not start with \{"status":"success"\}, so it was not read to the end: \{"echo":"x+…\. A proxy/,
      ),
      attempts: 1,
    });
    expect(sandbox.requestCount()).toBe(1);
  });

  test('400 is rejected with the server words and not retried', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0
          ? {
              status: 400,
              body: '{"status":"error","message":"phone_number is required"}',
            }
          : undefined,
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(3), {
      rate: 20,
    });

    const rejected = run.settled.filter(
      (entry) => entry.outcome.kind === 'rejected',
    );
    expect(rejected.map((entry) => entry.outcome)).toEqual([
      {
        kind: 'rejected',
        reason: 'server_rejected',
        status: 400,
        detail: 'phone_number is required',
      },
    ]);
    expect(rejected[0]!.job.context.line).toBe(2);
    expect(sandbox.requestCount()).toBe(3);
    expect(run.queue.stopReason).toBeUndefined();
  });

  test('a secret that also occurs in the answer does not spoil the answer', async () => {
    const sandbox = await fixture.sandbox({ secret: 's' });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1), {
      secret: 's',
    });

    expect(run.settled[0]!.outcome).toEqual({ kind: 'delivered', attempts: 1 });
  });

  test('a server that echoes the secret never gets it into a detail', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) => ({
        status: 422,
        body: `bad secret ${String(request.headers['x-webhook-secret'])}`,
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1));

    expect(run.settled[0]!.outcome).toMatchObject({
      kind: 'rejected',
      detail: 'bad secret [secret]',
    });
    expect(reportedText(run)).not.toContain(SECRET);
  });
});

describe('stops', () => {
  test('401 stops the run: reason set, no new sends, queued jobs unsent', async () => {
    const sandbox = await fixture.sandbox({ secret: 'another-secret' });
    const { queue, settled, events } = fixture.queue(
      `${sandbox.url}/acme_test`,
      { rate: 10 },
    );
    const jobs = leadJobs(6);
    for (const job of jobs.slice(0, 5)) await queue.submit(job);
    while (!queue.stopReason)
      await new Promise((resolve) => setTimeout(resolve, 10));

    expect(await queue.submit(jobs[5]!)).toBe(false);
    await queue.finish();
    expect(queue.stopReason).toEqual({
      kind: 'unauthorized',
      status: 401,
      detail: 'The X-Webhook-Secret header value is wrong.',
    });
    // The refused lead is unsent too: a rerun with the right secret sends it.
    expect(settled).toEqual([]);
    expect(
      queue
        .unsent()
        .map((job) => job.context.line)
        .sort(),
    ).toEqual([2, 3, 4, 5, 6, 7]);
    expect(sandbox.requestCount()).toBe(1);
    expect(events).toContainEqual({
      type: 'stopped',
      reason: queue.stopReason,
    });
    expect(reportedText({ settled, events })).not.toContain(SECRET);
  });

  test('415 stops the run the same way', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 415,
        body: '{"status":"error","message":"Content-Type is not application/json"}',
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(4), {
      rate: 10,
    });

    expect(run.queue.stopReason).toEqual({
      kind: 'unsupported_media_type',
      status: 415,
      detail: 'Content-Type is not application/json',
    });
    expect(sandbox.requestCount()).toBe(1);
    expect(run.queue.unsent()).toHaveLength(4);
  });

  test('stopAccepting lets requests in flight finish and starts nothing more', async () => {
    const sandbox = await fixture.sandbox({
      latencyMs: { min: 150, max: 150 },
    });
    const { queue, settled, events } = fixture.queue(
      `${sandbox.url}/acme_test`,
      { rate: 20 },
    );
    for (const job of leadJobs(10)) await queue.submit(job);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const inFlight = queue.stats().inFlight;
    queue.stopAccepting();

    expect(await queue.submit(leadJobs(1)[0]!)).toBe(false);
    await queue.finish();
    expect(inFlight).toBeGreaterThan(0);
    expect(settled).toHaveLength(inFlight);
    expect(settled.every((entry) => entry.outcome.kind === 'delivered')).toBe(
      true,
    );
    expect(sandbox.requestCount()).toBe(inFlight);
    expect(queue.unsent()).toHaveLength(10 - inFlight + 1);
    expect(queue.stopReason).toBeUndefined();
    expect(events).toContainEqual({ type: 'stopped', reason: 'requested' });
  });
});

describe('retries', () => {
  test('500 then 200: retried and delivered exactly once', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0
          ? { status: 500, body: '{"status":"error","message":"try later"}' }
          : undefined,
    });
    const jobs = leadJobs(3);
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, jobs);

    const first = run.settled.find((entry) => entry.job.context.line === 2);
    expect(first!.outcome).toEqual({ kind: 'delivered', attempts: 2 });
    expect(sandbox.deliveredBodies()).toHaveLength(3);
    expect(
      new Set(sandbox.deliveredBodies().map((body) => JSON.stringify(body)))
        .size,
    ).toBe(3);
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'retry-scheduled',
        attempt: 1,
        reason: 'server_error',
        detail: '500 Internal Server Error: try later',
      }),
    );
  });

  test('a connection dropped after the request was written leaves the lead uncertain, not sent again', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0 ? { destroy: true, store: true } : undefined,
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2));

    const first = run.settled.find((entry) => entry.job.context.line === 2);
    expect(first!.outcome).toEqual({
      kind: 'uncertain',
      detail: expect.stringMatching(
        /^The request was sent, then .+; the server may have stored it\.$/,
      ),
      attempts: 1,
    });
    expect(sandbox.requestCount()).toBe(2);
    expect(sandbox.storedBodies()).toHaveLength(2);
  });

  test('with resendUncertain a dropped connection is retried, and the lead may be stored twice', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0 ? { destroy: true, store: true } : undefined,
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2), {
      resendUncertain: true,
    });

    expect(run.settled.map((entry) => entry.outcome)).toContainEqual({
      kind: 'delivered',
      attempts: 2,
    });
    expect(sandbox.storedBodies()).toHaveLength(3);
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'retry-scheduled',
        reason: 'connection_failed',
      }),
    );
  });

  test('when every attempt gets 503 then the job fails as server_error after maxAttempts', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 503,
        body: '<html><title>503 Service Temporarily Unavailable</title></html>',
      }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1), {
      maxAttempts: 3,
    });

    expect(run.settled[0]!.outcome).toEqual({
      kind: 'failed',
      reason: 'server_error',
      detail: '503 Service Unavailable: 503 Service Temporarily Unavailable',
      attempts: 3,
    });
    expect(sandbox.requestCount()).toBe(3);
    expect(
      run.events.filter((event) => event.type === 'retry-scheduled'),
    ).toHaveLength(2);
  });

  test('when the connection is refused then the job fails as connection_failed after retries', async () => {
    const port = await closedPort();
    const run = await fixture.deliver(
      `http://127.0.0.1:${port}/acme_test`,
      leadJobs(2),
      { maxAttempts: 3 },
    );

    for (const { outcome } of run.settled) {
      expect(outcome).toEqual({
        kind: 'failed',
        reason: 'connection_failed',
        detail:
          'the connection was refused: nothing is listening at that address and port (ECONNREFUSED)',
        attempts: 3,
      });
    }
    expect(run.settled).toHaveLength(2);
    expect(reportedText(run)).not.toContain(SECRET);
  });

  test('a request that times out is uncertain: the server stored it after the client gave up', async () => {
    let calls = 0;
    const sandbox = await fixture.sandbox({
      respond: async () => {
        calls += 1;
        if (calls === 1)
          await new Promise((resolve) => setTimeout(resolve, 1500));
        return undefined;
      },
    });
    // undici checks header timeouts on a coarse tick: 200 ms fires within
    // about a second.
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1), {
      timeoutMs: 200,
      maxAttempts: 3,
    });

    expect(run.settled[0]!.outcome).toEqual({
      kind: 'uncertain',
      detail:
        'The request was sent, then the server did not answer within the timeout of 0.2 s (UND_ERR_HEADERS_TIMEOUT); the server may have stored it.',
      attempts: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(sandbox.deliveredBodies()).toHaveLength(1);
    expect(sandbox.requestCount()).toBe(1);
  });

  test('a job answered 429 more than maxRateLimited times fails as rate_limited', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 429, headers: { 'retry-after': '0' } }),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(1), {
      maxRateLimited: 2,
      rate: 20,
    });

    expect(run.settled[0]!.outcome).toEqual({
      kind: 'failed',
      reason: 'rate_limited',
      detail:
        'The server answered 429 (rate limit exceeded) 3 times for this lead.',
      attempts: 3,
    });
  });
});

describe('connections', () => {
  test('keep-alive: connections are reused, never more than maxInFlight', async () => {
    const sandbox = await fixture.sandbox({ latencyMs: { min: 5, max: 30 } });
    await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(60), {
      rate: 200,
      maxInFlight: 3,
    });

    const connections = new Set(
      sandbox.requests.map((request) => request.remotePort),
    );
    expect(sandbox.requestCount()).toBe(60);
    expect(connections.size).toBeLessThanOrEqual(3);
  });
});

describe('backpressure', () => {
  test('submit waits while the buffer is full, so memory stays bounded', async () => {
    const sandbox = await fixture.sandbox();
    const { queue } = fixture.queue(`${sandbox.url}/acme_test`, {
      rate: 100,
      bufferSize: 4,
      maxInFlight: 2,
    });
    let mostWaiting = 0;
    let waitedCount = 0;
    for (const job of leadJobs(30)) {
      let isResolved = false;
      const room = queue.submit(job).then(() => (isResolved = true));
      await Promise.resolve();
      if (!isResolved) waitedCount += 1;
      await room;
      mostWaiting = Math.max(
        mostWaiting,
        queue.stats().queued + queue.stats().retrying,
      );
    }
    await queue.finish();

    expect(waitedCount).toBeGreaterThan(0);
    expect(mostWaiting).toBeLessThanOrEqual(4);
    expect(queue.stats()).toMatchObject({ delivered: 30, queued: 0 });
  });
});

describe('long waits', () => {
  /** Every delay handed to setTimeout, and every warning Node emits. */
  function watchTimers() {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    onTestFinished(() => {
      process.off('warning', onWarning);
    });
    const longestDelay = () =>
      Math.max(0, ...setTimeoutSpy.mock.calls.map((call) => call[1] ?? 0));
    return { warnings, longestDelay };
  }

  async function waitUntil(isDone: () => boolean): Promise<void> {
    while (!isDone()) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  test('a tiny rate arms no timer past the longest Node allows, and the next slot stays not due', async () => {
    const sandbox = await fixture.sandbox();
    const timers = watchTimers();
    const { queue, settled } = fixture.queue(`${sandbox.url}/acme_test`, {
      rate: 0.0000001,
    });
    for (const job of leadJobs(2)) await queue.submit(job);
    await waitUntil(() => settled.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(timers.longestDelay()).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    expect(timers.warnings).not.toContain('TimeoutOverflowWarning');
    expect(sandbox.requestCount()).toBe(1);
    expect(queue.stats()).toMatchObject({ queued: 1, delivered: 1 });
    queue.stopAccepting();
    await queue.finish();
    expect(queue.unsent().map((job) => job.context.line)).toEqual([3]);
  });

  test('a retry delay past the longest timer is waited out in pieces and cleared by a stop', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 503, headers: { 'retry-after': '3000000' } }),
    });
    const timers = watchTimers();
    const { queue, events } = fixture.queue(`${sandbox.url}/acme_test`, {
      backoff: { baseMs: 5, capMs: 2 ** 40 },
      maxWaitMs: 2 ** 41,
    });
    await queue.submit(leadJobs(1)[0]!);
    await waitUntil(() => queue.stats().retrying === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry-scheduled', delayMs: 3e9 }),
    );
    expect(timers.longestDelay()).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    expect(timers.warnings).not.toContain('TimeoutOverflowWarning');
    expect(queue.stats().retrying).toBe(1);
    expect(sandbox.requestCount()).toBe(1);
    queue.stopAccepting();
    await queue.finish();
    expect(queue.unsent()).toHaveLength(1);
  });
});
