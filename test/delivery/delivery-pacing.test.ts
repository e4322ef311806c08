import { describe, expect, test } from 'vitest';

import { leadJobs, useQueueFixture } from './queue-fixture.js';

const fixture = useQueueFixture();

function arrivalTimes(sandbox: {
  requests: { receivedAt: number }[];
}): number[] {
  return sandbox.requests.map((request) => request.receivedAt);
}

describe('pacing', () => {
  test('at rate 20 for 2 s no sliding second holds more than 20 requests', async () => {
    const sandbox = await fixture.sandbox({ rateLimit: 20 });
    const run = await fixture.deliver(
      `${sandbox.url}/acme_test`,
      leadJobs(40),
      { rate: 20 },
    );

    expect(sandbox.statusCounts()).toEqual({ 200: 40 });
    expect(sandbox.maxRequestsInAnySecond()).toBeLessThanOrEqual(20);
    expect(
      run.settled.every((entry) => entry.outcome.kind === 'delivered'),
    ).toBe(true);
  });

  test('a server answering in 20–200 ms does not lower the rate', async () => {
    const sandbox = await fixture.sandbox({
      rateLimit: 20,
      latencyMs: { min: 20, max: 200 },
    });
    await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(40), {
      rate: 20,
    });

    const times = arrivalTimes(sandbox);
    const achievedRate =
      (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    expect(achievedRate).toBeGreaterThan(19);
    expect(achievedRate).toBeLessThanOrEqual(20.5);
    expect(sandbox.maxRequestsInAnySecond()).toBeLessThanOrEqual(20);
    expect(sandbox.statusCounts()).toEqual({ 200: 40 });
  });
});

describe('429 and Retry-After', () => {
  test('Retry-After in seconds pauses every send, then the rate ramps up gently', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0
          ? { status: 429, headers: { 'retry-after': '2' } }
          : undefined,
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(4), {
      rate: 5,
    });

    const [first, second, third] = arrivalTimes(sandbox);
    expect(second! - first!).toBeGreaterThanOrEqual(2000 - 100);
    // 2 per second is one request every 500 ms, not 200.
    expect(third! - second!).toBeGreaterThanOrEqual(400);
    expect(run.events).toContainEqual({ type: 'paused', pauseMs: 2000 });
    // 80 % of 5/s after the 429, and half of that to start with.
    const resumed = run.events.find((event) => event.type === 'resumed');
    expect(resumed).toEqual({ type: 'resumed', rate: expect.closeTo(2, 1) });
    expect(sandbox.deliveredBodies()).toHaveLength(4);
    expect(
      run.settled.find((entry) => entry.job.context.line === 2)!.outcome,
    ).toEqual({ kind: 'delivered', attempts: 2 });
  });

  test('C11: Retry-After as an HTTP-date holds the next request until that date', async () => {
    let retryAt = 0;
    const sandbox = await fixture.sandbox({
      respond: (request) => {
        if (request.index !== 0) return undefined;
        const date = new Date(Date.now() + 3000).toUTCString();
        retryAt = Date.parse(date);
        return { status: 429, headers: { 'retry-after': date } };
      },
    });
    const jobs = leadJobs(3);
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, jobs, {
      rate: 1,
    });

    const times = arrivalTimes(sandbox);
    expect(times[1]!).toBeGreaterThanOrEqual(retryAt - 100);
    expect(times).toHaveLength(4);
    expect(run.settled.map((entry) => entry.outcome.kind)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
    const bodies = sandbox
      .deliveredBodies()
      .map((body) => JSON.stringify(body));
    expect(bodies.sort()).toEqual(jobs.map((job) => job.body).sort());
  });

  test('a Retry-After date already past means resend without waiting', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0
          ? {
              status: 429,
              headers: {
                'retry-after': new Date(Date.now() - 10_000).toUTCString(),
              },
            }
          : undefined,
    });
    await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2), {
      rate: 10,
    });

    const [first, second] = arrivalTimes(sandbox);
    expect(second! - first!).toBeLessThan(500);
    expect(sandbox.deliveredBodies()).toHaveLength(2);
  });

  test('a 429 without Retry-After pauses for one second', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) => (request.index === 0 ? { status: 429 } : undefined),
    });
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(2), {
      rate: 10,
    });

    const [first, second] = arrivalTimes(sandbox);
    expect(second! - first!).toBeGreaterThanOrEqual(1000 - 50);
    expect(run.events).toContainEqual({ type: 'paused', pauseMs: 1000 });
  });
});
