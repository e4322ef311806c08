import { describe, expect, test } from 'vitest';

import { DuplicateIndex } from '../../src/leads/duplicate-index.js';

const DATE = '2026-03-15T10:30:00+05:30';
const MB = 2 ** 20;

/** A distinct E.164 number for each index, the way a long file has them. */
function phoneOf(index: number): string {
  return `+9198${String(index).padStart(8, '0')}`;
}

/** Records `count` distinct keys on lines 1…count; returns any false hits. */
function recordDistinct(index: DuplicateIndex, count: number): number[] {
  const falseHits: number[] = [];
  for (let row = 0; row < count; row += 1) {
    const earlier = index.firstLineOf(phoneOf(row), DATE, row + 1);
    if (earlier !== undefined) falseHits.push(row + 1);
  }
  return falseHits;
}

describe('DuplicateIndex finds repeated leads', () => {
  test('first occurrence is recorded, later ones name its line', () => {
    const index = new DuplicateIndex();

    expect(index.firstLineOf('+919876543210', DATE, 2)).toBeUndefined();
    expect(index.firstLineOf('+919876543210', DATE, 7)).toBe(2);
    expect(index.firstLineOf('+919876543210', DATE, 9)).toBe(2);
    expect(index.size).toBe(1);
  });

  test('a different date or number is a different lead', () => {
    const index = new DuplicateIndex();

    index.firstLineOf('+919876543210', DATE, 1);

    expect(
      index.firstLineOf('+919876543210', '2026-03-15T10:30:00+00:00', 2),
    ).toBeUndefined();
    expect(index.firstLineOf('+919876543211', DATE, 3)).toBeUndefined();
    expect(index.size).toBe(3);
  });

  test('a missing date differs from a present one', () => {
    const index = new DuplicateIndex();

    expect(index.firstLineOf('+919876543210', undefined, 1)).toBeUndefined();
    expect(index.firstLineOf('+919876543210', DATE, 2)).toBeUndefined();
  });

  test('two missing dates with the same number are duplicates', () => {
    const index = new DuplicateIndex();

    expect(index.firstLineOf('+919876543210', undefined, 4)).toBeUndefined();
    expect(index.firstLineOf('+919876543210', undefined, 5)).toBe(4);
  });

  test('where the number ends and the date begins is part of the key', () => {
    const index = new DuplicateIndex();

    expect(index.firstLineOf('+9198765', '43210', 1)).toBeUndefined();
    expect(index.firstLineOf('+919876543210', undefined, 2)).toBeUndefined();
    expect(index.firstLineOf('+919876543210', '', 3)).toBe(2);
  });

  test('line numbers up to 2³² − 1 round-trip', () => {
    const index = new DuplicateIndex();

    index.firstLineOf('+919876543210', DATE, 4_000_000_000);
    index.firstLineOf('+919876543211', DATE, 0xffff_ffff);

    expect(index.firstLineOf('+919876543210', DATE, 1)).toBe(4_000_000_000);
    expect(index.firstLineOf('+919876543211', DATE, 1)).toBe(0xffff_ffff);
  });

  test.each([0, -1, 1.5, 2 ** 32, Number.NaN])(
    'line %s is refused, since 0 marks an empty slot',
    (line) => {
      const index = new DuplicateIndex();

      expect(() => index.firstLineOf('+919876543210', DATE, line)).toThrow(
        RangeError,
      );
      expect(index.size).toBe(0);
    },
  );
});

describe('DuplicateIndex sizing', () => {
  test.each([0, 1])(
    'growing from %s expected rows to 200,000 keys keeps every answer',
    (expectedRows) => {
      const count = 200_000;
      const index = new DuplicateIndex(expectedRows);

      expect(recordDistinct(index, count)).toEqual([]);
      expect(index.size).toBe(count);

      const missed: number[] = [];
      for (let row = 0; row < count; row += 1) {
        const earlier = index.firstLineOf(phoneOf(row), DATE, count + row + 1);
        if (earlier !== row + 1) missed.push(row + 1);
      }
      expect(missed).toEqual([]);
      expect(index.size).toBe(count);
    },
  );

  test('a presized index does not grow', () => {
    const index = new DuplicateIndex(100_000);
    const capacity = index.capacity;

    recordDistinct(index, 100_000);

    expect(index.size).toBe(100_000);
    expect(index.capacity).toBe(capacity);
    expect(capacity).toBe(Math.ceil(100_000 / 0.75));
  });

  test('a grown index keeps at least half of its slots full', () => {
    const index = new DuplicateIndex();

    recordDistinct(index, 1_000_000);

    expect(index.size / index.capacity).toBeGreaterThanOrEqual(0.5);
    expect(index.size / index.capacity).toBeLessThanOrEqual(0.75);
  });

  test('a million keys take less than 40 MB of array buffers', () => {
    const before = process.memoryUsage().arrayBuffers;

    const index = new DuplicateIndex(1_000_000);
    recordDistinct(index, 1_000_000);

    const grownBy = process.memoryUsage().arrayBuffers - before;
    expect(index.size).toBe(1_000_000);
    expect(grownBy / MB).toBeLessThan(40);
  });
});
