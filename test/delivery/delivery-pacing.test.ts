import { describe, expect, test } from 'vitest';

import { MAX_RATE_LIMIT_PAUSE_MS } from '../../src/delivery/classify-answer.js';
import { leadJobs, useQueueFixture } from './queue-fixture.js';

const fixture = useQueueFixture();

function arrivalTimes(sandbox: {
  requests: { receivedAt: number }[];
}): number[] {
  return sandbox.requests.map((request) => request.receivedAt);
}

// The exact limits of the schedule are tested with a fake clock in
// pacer.test.ts; rates and worst seconds against a real server are measured
// by npm run bench. A loaded test machine delays arrivals, so these tests
// assert only what load cannot fake.
describe('pacing', () => {
  test('every job of a paced run is delivered exactly once', async () => {
    const sandbox = await fixture.sandbox({ rateLimit: 0 });
    const jobs = leadJobs(40);
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, jobs, {
      rate: 20,
    });

    expect(sandbox.statusCounts()).toEqual({ 200: 40 });
    const bodies = sandbox.requests.map((request) => request.body.toString());
    expect(bodies.sort()).toEqual(jobs.map((job) => job.body).sort());
    expect(
      run.settled.every((entry) => entry.outcome.kind === 'delivered'),
    ).toBe(true);
  });

  test('a slow server does not hold back the next request', async () => {
    const times = await deliverToSlowServer({ min: 180, max: 200 }, 20);

    // Waiting for each answer would space arrivals 180 ms or more apart;
    // the open schedule sends every 50 ms whatever the server does.
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    const shortGaps = gaps.filter((gap) => gap < 150);
    expect(shortGaps.length).toBeGreaterThan(gaps.length / 2);
  });

  test('answers that take 1.5 s do not lower a rate of 20/s with the default requests in flight', async () => {
    const times = await deliverToSlowServer({ min: 1500, max: 1500 }, 100);

    // Little's law: 20/s with 1.5 s answers keeps 30 requests in flight.
    // One second of sends (20) held the rate to 13/s. A loaded machine can
    // only slow arrivals, so only a generous floor is asserted.
    const spanSeconds = (times[times.length - 1]! - times[0]!) / 1000;
    expect((times.length - 1) / spanSeconds).toBeGreaterThanOrEqual(0.8 * 20);
  });
});

/**
 * Delivers `count` leads at 20/s to a sandbox answering after `latencyMs`,
 * checks each was answered 200, and returns their arrival times.
 */
async function deliverToSlowServer(
  latencyMs: { min: number; max: number },
  count: number,
): Promise<number[]> {
  const sandbox = await fixture.sandbox({ rateLimit: 0, latencyMs });
  await fixture.deliver(`${sandbox.url}/acme_test`, leadJobs(count), {
    rate: 20,
  });
  expect(sandbox.statusCounts()).toEqual({ 200: count });
  return arrivalTimes(sandbox);
}

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
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'paused',
        pauseMs: 2000,
        sentLastSecond: 1,
      }),
    );
    // The server refused the only request of its second: the ceiling is
    // 90 % of that one, and sending resumes at 80 % of it, one request
    // every 1.4 s rather than every 200 ms.
    const resumed = run.events.find((event) => event.type === 'resumed');
    expect(resumed).toEqual({ type: 'resumed', rate: expect.closeTo(0.72, 2) });
    expect(third! - second!).toBeGreaterThanOrEqual(1300);
    expect(sandbox.deliveredBodies()).toHaveLength(4);
    expect(
      run.settled.find((entry) => entry.job.context.line === 2)!.outcome,
    ).toEqual({ kind: 'delivered', attempts: 2 });
  });

  test('C11: Retry-After as an HTTP-date holds the next request until that date', async () => {
    let retryAt = 0;
    let answeredAt = 0;
    const sandbox = await fixture.sandbox({
      respond: (request) => {
        if (request.index !== 0) return undefined;
        answeredAt = Date.now();
        const date = new Date(answeredAt + 3000).toUTCString();
        retryAt = Date.parse(date);
        return { status: 429, headers: { 'retry-after': date } };
      },
    });
    const jobs = leadJobs(3);
    const run = await fixture.deliver(`${sandbox.url}/acme_test`, jobs, {
      rate: 1,
    });

    // Nothing sent once the 429 was heard arrives before the date. A
    // request sent before it was heard (this process stalled under load
    // before answering) may come sooner, and is not counted; 500 ms
    // covers the answer's way back to push.
    const times = arrivalTimes(sandbox);
    const afterAnswer = times.filter((time) => time >= answeredAt + 500);
    expect(afterAnswer.length).toBeGreaterThanOrEqual(1);
    for (const time of afterAnswer) {
      expect(time).toBeGreaterThanOrEqual(retryAt - 100);
    }
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
    expect(second! - first!).toBeLessThan(900);
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
    expect(run.events).toContainEqual(
      expect.objectContaining({ type: 'paused', pauseMs: 1000 }),
    );
  });

  test('a Retry-After of 11 days pauses for 5 minutes, and stats show the pause', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({ status: 429, headers: { 'retry-after': '999999' } }),
    });
    const { queue, events } = fixture.queue(`${sandbox.url}/acme_test`, {
      rate: 10,
    });
    expect(queue.stats()).toMatchObject({ isPaused: false, pausedForMs: 0 });
    for (const job of leadJobs(2)) await queue.submit(job);
    while (!events.some((event) => event.type === 'paused')) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    expect(events).toContainEqual({
      type: 'paused',
      pauseMs: MAX_RATE_LIMIT_PAUSE_MS,
      sentLastSecond: 1,
    });
    const stats = queue.stats();
    expect(stats.isPaused).toBe(true);
    // A cap, not a timing: the pause can only have shrunk since it began.
    expect(stats.pausedForMs).toBeGreaterThan(0);
    expect(stats.pausedForMs).toBeLessThanOrEqual(MAX_RATE_LIMIT_PAUSE_MS);
    expect(stats.delivered).toBe(0);
    queue.stopAccepting();
    await queue.finish();
    expect(queue.unsent()).toHaveLength(2);
  });
});
