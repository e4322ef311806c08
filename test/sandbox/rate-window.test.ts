import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, test } from 'vitest';

import type { SandboxOptions } from '../../src/sandbox/ingest-sandbox.js';
import { useSandboxFixture } from './sandbox-fixture.js';

const { useSandbox, post } = useSandboxFixture();

const LIMIT = 2;

/** The sandbox's clock: `receivedAt` is measured on it. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Sleeps until the clock is `offset` ms into a wall-clock second. */
async function sleepUntilSecondOffset(offset: number): Promise<void> {
  await sleep((offset - (now() % 1000) + 1000) % 1000);
}

/**
 * What each request should have got, worked out from when the sandbox saw
 * it: `isLimited(earlier, time)` says whether the requests before it (all
 * of which count, as `countRejected` defaults to true) used up the limit.
 */
function expectedStatuses(
  times: number[],
  isLimited: (earlier: number[], time: number) => boolean,
): number[] {
  return times.map((time, index) =>
    isLimited(times.slice(0, index), time) ? 429 : 200,
  );
}

const IS_LIMITED: Record<
  NonNullable<SandboxOptions['rateWindow']>,
  (earlier: number[], time: number) => boolean
> = {
  sliding: (earlier, time) =>
    earlier.filter((other) => other > time - 1000).length >= LIMIT,
  fixed: (earlier, time) =>
    earlier.filter(
      (other) => Math.floor(other / 1000) === Math.floor(time / 1000),
    ).length >= LIMIT,
};

describe('rate window', () => {
  test.each(['sliding', 'fixed'] as const)(
    'with the %s window, bursts either side of a second boundary get the answers that window gives',
    async (rateWindow) => {
      const sandbox = await useSandbox({ rateLimit: LIMIT, rateWindow });

      // Three requests in the second half of one second, two just after the
      // next one starts: all five within about a second of each other.
      await sleepUntilSecondOffset(500);
      const statuses: number[] = [];
      for (let count = 0; count < 3; count += 1) {
        statuses.push((await post(sandbox)).status);
      }
      await sleepUntilSecondOffset(10);
      for (let count = 0; count < 2; count += 1) {
        statuses.push((await post(sandbox)).status);
      }

      const times = sandbox.requests.map((request) => request.receivedAt);
      expect(statuses).toEqual(expectedStatuses(times, IS_LIMITED[rateWindow]));
    },
  );

  test('the fixed window accepts a full burst at the start of a second right after one at its end', async () => {
    const sandbox = await useSandbox({ rateLimit: LIMIT, rateWindow: 'fixed' });

    await sleepUntilSecondOffset(500);
    const before = await Promise.all([post(sandbox), post(sandbox)]);
    await sleepUntilSecondOffset(10);
    const after = await Promise.all([post(sandbox), post(sandbox)]);

    expect([...before, ...after].map((answer) => answer.status)).toEqual([
      200, 200, 200, 200,
    ]);
  });

  test('the fixed window answers 429 with Retry-After 1 past the limit in one second', async () => {
    const sandbox = await useSandbox({ rateLimit: LIMIT, rateWindow: 'fixed' });

    await sleepUntilSecondOffset(10);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(sandbox)),
    );

    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.headers['retry-after']).toBe('1');
  });
});
