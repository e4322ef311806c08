import { describe, expect, test } from 'vitest';

import { formatProgress } from '../../../src/commands/push/progress.js';

describe('formatProgress', () => {
  test('a pause asked for with 429 shows with the time left', () => {
    expect(
      formatProgress(
        {
          done: 3,
          sent: 3,
          total: 9,
          delivered: 3,
          rejected: 0,
          retrying: 0,
          pausedForMs: 42_000,
          pauseCause: 'rate_limited',
        },
        0,
      ),
    ).toBe(
      '3/9 rows, 3 delivered, 0 not delivered, paused 42s (server said 429), 0.0/s',
    );
  });

  test('a pause for a failing server says so, not 429', () => {
    expect(
      formatProgress(
        {
          done: 3,
          sent: 3,
          total: 9,
          delivered: 3,
          rejected: 0,
          retrying: 3,
          pausedForMs: 8_000,
          pauseCause: 'server_failing',
        },
        0,
      ),
    ).toBe(
      '3/9 rows, 3 delivered, 0 not delivered, 3 retrying, paused 8s (server failing), 0.0/s',
    );
  });

  test('with a known total it shows done of total and the time left', () => {
    expect(
      formatProgress(
        {
          done: 600,
          sent: 600,
          total: 1200,
          delivered: 590,
          rejected: 10,
          retrying: 2,
          pausedForMs: 0,
          pauseCause: undefined,
        },
        60,
      ),
    ).toBe(
      '600/1200 rows, 590 delivered, 10 not delivered, 2 retrying, 60.0/s, ETA 10s',
    );
  });

  test('from standard input it shows rows without a total or ETA', () => {
    expect(
      formatProgress(
        {
          done: 5,
          sent: 5,
          total: undefined,
          delivered: 5,
          rejected: 0,
          retrying: 0,
          pausedForMs: 0,
          pauseCause: undefined,
        },
        0,
      ),
    ).toBe('5 rows, 5 delivered, 0 not delivered, 0.0/s');
  });

  test('long runs show hours and minutes', () => {
    expect(
      formatProgress(
        {
          done: 0,
          sent: 0,
          total: 500_000,
          delivered: 0,
          rejected: 0,
          retrying: 0,
          pausedForMs: 0,
          pauseCause: undefined,
        },
        55,
      ),
    ).toMatch(/ETA 2h31m$/);
  });
});
