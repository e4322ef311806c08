import { expect, test } from 'vitest';

import { backoffDelay } from '../../src/delivery/backoff.js';

const OPTIONS = { baseMs: 500, capMs: 30_000 };

test('the delay spans 0 to base × 2^retry, capped', () => {
  expect(backoffDelay(0, OPTIONS, () => 0)).toBe(0);
  expect(backoffDelay(0, OPTIONS, () => 0.999)).toBeCloseTo(499.5);
  expect(backoffDelay(3, OPTIONS, () => 0.5)).toBe(2000);
  expect(backoffDelay(20, OPTIONS, () => 0.5)).toBe(15_000);
});

test('delays are random within their range', () => {
  const delays = Array.from({ length: 200 }, () => backoffDelay(2, OPTIONS));
  expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...delays)).toBeLessThanOrEqual(2000);
  expect(new Set(delays).size).toBeGreaterThan(150);
});
