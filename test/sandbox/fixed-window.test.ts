import { describe, expect, test } from 'vitest';

import { FixedRateLimitWindow } from '../../src/sandbox/fixed-window.js';

const ADDRESS = '127.0.0.1';
const SECOND = 1_700_000_000_000;

describe('fixed rate-limit window', () => {
  test('counts up to the limit within one wall-clock second', () => {
    const window = new FixedRateLimitWindow(2);
    window.record(ADDRESS, SECOND + 10);
    expect(window.isOverLimit(ADDRESS, SECOND + 20)).toBe(false);
    window.record(ADDRESS, SECOND + 20);

    expect(window.isOverLimit(ADDRESS, SECOND + 999)).toBe(true);
  });

  test('starts again at zero when the second changes, however close', () => {
    const window = new FixedRateLimitWindow(2);
    window.record(ADDRESS, SECOND + 998);
    window.record(ADDRESS, SECOND + 999);

    expect(window.isOverLimit(ADDRESS, SECOND + 999.9)).toBe(true);
    expect(window.isOverLimit(ADDRESS, SECOND + 1000)).toBe(false);
  });

  test('counts each address on its own', () => {
    const window = new FixedRateLimitWindow(1);
    window.record(ADDRESS, SECOND);

    expect(window.isOverLimit(ADDRESS, SECOND + 1)).toBe(true);
    expect(window.isOverLimit('127.0.0.2', SECOND + 1)).toBe(false);
  });
});
