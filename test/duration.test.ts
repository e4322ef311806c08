import { describe, expect, test } from 'vitest';

import { MAX_DURATION_MS, parseDuration } from '../src/duration.js';

describe('durations on the command line', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['10min', 600_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['45', 45_000],
    ['1.5s', 1500],
    [' 2M ', 120_000],
    ['24h', 86_400_000],
    ['1d', 86_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--max-wait')).toBe(ms);
  });

  test.each(['', '10 minutes', 'soon', '5y', '-5s'])(
    '"%s" is refused as not a duration, naming the flag and the accepted forms',
    (text) => {
      expect(() => parseDuration(text, '--timeout')).toThrow(
        expect.objectContaining({
          code: 'usage.invalidDuration',
          exitCode: 2,
          message: `--timeout "${text}" is not a duration. Write it as 30s, 10m, 1h or 1d (a plain number means seconds).`,
        }),
      );
    },
  );

  test.each(['0', '0s', '0.5ms'])(
    '"%s" is refused as not above zero',
    (text) => {
      expect(() => parseDuration(text, '--timeout')).toThrow(
        expect.objectContaining({
          code: 'usage.invalidDuration',
          message: expect.stringContaining(
            `--timeout "${text}" is not a duration above zero.`,
          ),
        }),
      );
    },
  );

  test.each(['10d', '25h', '86401s', '1w', '9999999999999999999999h'])(
    'when "%s" is more than a day then it is refused as too large, giving the maximum',
    (text) => {
      expect(() => parseDuration(text, '--timeout')).toThrow(
        expect.objectContaining({
          code: 'usage.invalidDuration',
          message: `--timeout "${text}" is too large: the maximum is 24h (1d).`,
        }),
      );
    },
  );

  test('the maximum fits a Node timer', () => {
    expect(MAX_DURATION_MS).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
