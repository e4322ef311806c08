import { describe, expect, test } from 'vitest';

import { createDateReader } from '../../src/leads/lead-date.js';
import { createZoneResolver } from '../../src/leads/zone-offset.js';

/**
 * One reader per zone for the whole table, so later rows hit the offsets
 * cached by earlier ones: a cache keyed too coarsely would show up here as
 * an offset carried across a DST change.
 */
function readAll(timezone: string, cells: string[]): string[] {
  const read = createDateReader({ timezone });
  return cells.map((cell) => {
    const result = read(cell);
    return result.ok ? result.iso : `error: ${result.detail}`;
  });
}

describe('offsets around DST changes', () => {
  test('Europe/London springs forward on 2026-03-29 at 01:00', () => {
    const cells = [
      '2026-03-28 12:00',
      '2026-03-29 00:59:59',
      '2026-03-29 03:00',
      '2026-03-29 12:00',
      '2026-03-28 12:00',
      '2026-03-29 00:30',
    ];

    expect(readAll('Europe/London', cells)).toEqual([
      '2026-03-28T12:00:00+00:00',
      '2026-03-29T00:59:59+00:00',
      '2026-03-29T03:00:00+01:00',
      '2026-03-29T12:00:00+01:00',
      '2026-03-28T12:00:00+00:00',
      '2026-03-29T00:30:00+00:00',
    ]);
  });

  test('a time in the spring gap moves forward by the gap', () => {
    expect(
      readAll('Europe/London', ['2026-03-29 01:00', '2026-03-29 01:30']),
    ).toEqual(['2026-03-29T02:00:00+01:00', '2026-03-29T02:30:00+01:00']);
    expect(readAll('America/New_York', ['08/03/2026 02:30'])).toEqual([
      '2026-03-08T03:30:00-04:00',
    ]);
  });

  test('Europe/London falls back on 2026-10-25: 01:xx happens twice', () => {
    const cells = [
      '2026-10-25 00:59',
      '2026-10-25 01:00',
      '2026-10-25 01:30',
      '2026-10-25 01:30',
      '2026-10-25 01:59:59',
      '2026-10-25 02:00',
      '2026-10-25 00:30',
      '2026-10-26 00:30',
    ];

    // The earlier of the two instants wins, still in summer time.
    expect(readAll('Europe/London', cells)).toEqual([
      '2026-10-25T00:59:00+01:00',
      '2026-10-25T01:00:00+01:00',
      '2026-10-25T01:30:00+01:00',
      '2026-10-25T01:30:00+01:00',
      '2026-10-25T01:59:59+01:00',
      '2026-10-25T02:00:00+00:00',
      '2026-10-25T00:30:00+01:00',
      '2026-10-26T00:30:00+00:00',
    ]);
  });

  test('America/New_York around both changes of 2026', () => {
    const cells = [
      '2026-03-08 01:59',
      '2026-03-08 03:00',
      '2026-11-01 00:59',
      '2026-11-01 01:30',
      '2026-11-01 02:00',
      '2026-11-01 23:00',
      '2026-03-07 23:00',
    ];

    expect(readAll('America/New_York', cells)).toEqual([
      '2026-03-08T01:59:00-05:00',
      '2026-03-08T03:00:00-04:00',
      '2026-11-01T00:59:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-01T02:00:00-05:00',
      '2026-11-01T23:00:00-05:00',
      '2026-03-07T23:00:00-05:00',
    ]);
  });

  test('Australia/Lord_Howe shifts by half an hour, inside the hour', () => {
    const cells = [
      '2026-10-04 01:59',
      '2026-10-04 02:15',
      '2026-10-04 02:30',
      '2026-04-05 01:15',
      '2026-04-05 01:45',
      '2026-04-05 02:00',
    ];

    expect(readAll('Australia/Lord_Howe', cells)).toEqual([
      '2026-10-04T01:59:00+10:30',
      '2026-10-04T02:45:00+11:00',
      '2026-10-04T02:30:00+11:00',
      '2026-04-05T01:15:00+11:00',
      '2026-04-05T01:45:00+11:00',
      '2026-04-05T02:00:00+10:30',
    ]);
  });

  test('Excel serials are wall times in the zone, DST included', () => {
    // 46096.4375 is 2026-03-15 10:30; 46233.5 is 2026-07-30 12:00.
    expect(readAll('Europe/London', ['46096.4375', '46233.5'])).toEqual([
      '2026-03-15T10:30:00+00:00',
      '2026-07-30T12:00:00+01:00',
    ]);
  });
});

describe('createZoneResolver', () => {
  test('returns the wall time unchanged outside a gap', () => {
    const resolve = createZoneResolver('Asia/Kolkata');
    const wall = {
      year: 2026,
      month: 3,
      day: 15,
      hour: 10,
      minute: 30,
      second: 0,
    };

    expect(resolve(wall)).toEqual({ wall, offset: '+05:30' });
  });
});
