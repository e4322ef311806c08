import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';

import { parseTimeBound } from '../../../src/commands/replay/parse-time-bound.js';
import { expectUsageError } from '../../helpers/expect-usage-error.js';

const NOW = Date.parse('2026-03-07T12:00:00.000Z');

describe('parseTimeBound', () => {
  test.each([
    ['2h', NOW - 2 * 3_600_000],
    ['90m', NOW - 90 * 60_000],
    ['45min', NOW - 45 * 60_000],
    ['30s', NOW - 30_000],
    ['3d', NOW - 3 * 86_400_000],
    ['1w', NOW - 7 * 86_400_000],
    ['1.5h', NOW - 5_400_000],
    [' 2H ', NOW - 2 * 3_600_000],
  ])('the duration %j means that long before now', (text, expected) => {
    expect(parseTimeBound(text, '--since', NOW)).toBe(expected);
  });

  test.each([
    ['2026-03-07T05:00:00Z', '2026-03-07T05:00:00.000Z'],
    ['2026-03-07T10:30:00+05:30', '2026-03-07T05:00:00.000Z'],
    ['2026-03-07T05:00:00.250Z', '2026-03-07T05:00:00.250Z'],
  ])('the ISO time %j with an offset is that instant', (text, expected) => {
    expect(new Date(parseTimeBound(text, '--since', NOW)).toISOString()).toBe(
      expected,
    );
  });

  test('a time without an offset, or a date alone, is read in this machine’s zone', () => {
    const local = DateTime.fromObject({
      year: 2026,
      month: 3,
      day: 7,
      hour: 9,
    });
    const midnight = DateTime.fromObject({ year: 2026, month: 3, day: 7 });

    expect(parseTimeBound('2026-03-07T09:00', '--until', NOW)).toBe(
      local.toMillis(),
    );
    expect(parseTimeBound('2026-03-07 09:00', '--until', NOW)).toBe(
      local.toMillis(),
    );
    expect(parseTimeBound('2026-03-07', '--until', NOW)).toBe(
      midnight.toMillis(),
    );
  });

  test.each([
    ['30', /neither a time nor a duration/],
    ['2026', /neither a time nor a duration/],
    ['yesterday', /neither a time nor a duration/],
    ['2h ago', /neither a time nor a duration/],
    ['2026-13-01', /not a valid time \(.*month/],
    ['2026-02-30T10:00', /not a valid time/],
    ['99999999999w', /reaches back before any time/],
  ])('%j is refused, naming the flag and the forms', async (text, message) => {
    await expectUsageError(
      Promise.resolve().then(() => parseTimeBound(text, '--since', NOW)),
      'replay.invalidTime',
      message,
    );
    expect(() => parseTimeBound(text, '--since', NOW)).toThrow(
      /--since .*ISO 8601/,
    );
  });
});
