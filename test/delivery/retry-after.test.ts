import { describe, expect, test } from 'vitest';

import {
  parseHttpDate,
  parseRetryAfter,
} from '../../src/delivery/retry-after.js';

const NOW = Date.UTC(2026, 2, 15, 5, 0, 0);

describe('parseRetryAfter', () => {
  test.each([
    ['3', 3000],
    ['0', 0],
    [' 120 ', 120_000],
    ['1.5', 1500],
  ])('delta-seconds %j is %d ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  test('an IMF-fixdate three seconds ahead is 3000 ms', () => {
    const value = new Date(NOW + 3000).toUTCString();
    expect(value).toBe('Sun, 15 Mar 2026 05:00:03 GMT');
    expect(parseRetryAfter(value, NOW)).toBe(3000);
  });

  test('the obsolete RFC 850 and asctime forms are read too', () => {
    expect(parseRetryAfter('Sunday, 15-Mar-26 05:00:10 GMT', NOW)).toBe(10_000);
    expect(parseRetryAfter('Sun Mar 15 05:01:00 2026', NOW)).toBe(60_000);
    expect(
      parseRetryAfter(
        'Sun Mar  1 05:00:00 2026',
        Date.UTC(2026, 2, 1, 4, 59, 0),
      ),
    ).toBe(60_000);
  });

  test('a date already past means no wait', () => {
    expect(parseRetryAfter('Sun, 15 Mar 2026 04:59:00 GMT', NOW)).toBe(0);
  });

  test.each([
    undefined,
    '',
    'soon',
    '-1',
    '2 seconds',
    'Sun, 15 Mar 2026 05:00:03',
    'Sun, 32 Mar 2026 05:00:03 GMT',
    '1e3',
    'Sun, 15 Foo 2026 05:00:03 GMT',
  ])('garbage %j is undefined', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });

  test('a date is read in any letter case', () => {
    expect(parseHttpDate('sun, 15 mar 2026 05:00:03 gmt')).toBe(NOW + 3000);
  });
});
