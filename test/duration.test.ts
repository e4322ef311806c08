import { describe, expect, test } from 'vitest';

import { parseDuration } from '../src/duration.js';

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
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--max-wait')).toBe(ms);
  });

  test.each(['', '0', '0s', '-5s', '10 minutes', 'soon', '1d', '0.5ms'])(
    '"%s" is refused, naming the flag and the accepted forms',
    (text) => {
      expect(() => parseDuration(text, '--timeout')).toThrow(
        expect.objectContaining({
          code: 'usage.invalidDuration',
          message: expect.stringContaining(
            '--timeout "' +
              text +
              '" is not a duration above zero. Write it as 30s, 10m or 1h',
          ),
        }),
      );
    },
  );
});
