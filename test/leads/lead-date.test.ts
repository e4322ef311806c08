import { describe, expect, test } from 'vitest';

import { UsageError } from '../../src/errors.js';
import { createDateReader } from '../../src/leads/lead-date.js';

const readKolkata = createDateReader({ timezone: 'Asia/Kolkata' });

describe('createDateReader in Asia/Kolkata', () => {
  test.each([
    // ISO 8601, read in the zone when there is no offset.
    ['2026-03-15', '2026-03-15T00:00:00+05:30'],
    ['2026-03-15T10:30', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15T10:30:00', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15T10:30:00.000', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15T10:30:00.999', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15 10:30:00', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15 10:30', '2026-03-15T10:30:00+05:30'],
    // An offset in the cell keeps its instant and its offset.
    ['2026-03-15T10:30:00Z', '2026-03-15T10:30:00+00:00'],
    ['2026-03-15T10:30:00.250Z', '2026-03-15T10:30:00+00:00'],
    ['2026-03-15T10:30:00+05:30', '2026-03-15T10:30:00+05:30'],
    ['2026-03-15T10:30:00-04:00', '2026-03-15T10:30:00-04:00'],
    ['2026-03-15T10:30+0100', '2026-03-15T10:30:00+01:00'],
    ['2026-03-15T10:30:00+09', '2026-03-15T10:30:00+09:00'],
    ['2026-03-15T10:30:00-00:00', '2026-03-15T10:30:00+00:00'],
    // Day first, the default.
    ['15/03/2026', '2026-03-15T00:00:00+05:30'],
    ['15/03/2026 10:30', '2026-03-15T10:30:00+05:30'],
    ['15/03/2026 10:30:45', '2026-03-15T10:30:45+05:30'],
    ['15/03/2026 9:05', '2026-03-15T09:05:00+05:30'],
    ['15/03/2026 10:30 PM', '2026-03-15T22:30:00+05:30'],
    ['15/03/2026 12:15 am', '2026-03-15T00:15:00+05:30'],
    ['04/05/2026', '2026-05-04T00:00:00+05:30'],
    ['4/5/2026', '2026-05-04T00:00:00+05:30'],
    ['15-03-2026', '2026-03-15T00:00:00+05:30'],
    ['15.03.2026 10:30', '2026-03-15T10:30:00+05:30'],
    ['29/02/2028', '2028-02-29T00:00:00+05:30'],
    ['29/02/2000', '2000-02-29T00:00:00+05:30'],
    // Two-digit years: 00-68 are 20xx, 69-99 are 19xx (POSIX strptime).
    ['15/03/26', '2026-03-15T00:00:00+05:30'],
    ['15/03/68', '2068-03-15T00:00:00+05:30'],
    ['15/03/69', '1969-03-15T00:00:00+05:30'],
    // Excel serial numbers, 1900 date system.
    ['46096.4375', '2026-03-15T10:30:00+05:30'],
    ['46096', '2026-03-15T00:00:00+05:30'],
    ['46096.438194', '2026-03-15T10:31:00+05:30'],
    ['10000', '1927-05-18T00:00:00+05:30'],
    ['99999', '2173-10-13T00:00:00+05:30'],
    // Spreadsheet debris around the value.
    [' 15/03/2026 ', '2026-03-15T00:00:00+05:30'],
    ['\uFEFF15/03/2026\u00A010:30\u200B', '2026-03-15T10:30:00+05:30'],
  ])('%j becomes %s', (cell, iso) => {
    expect(readKolkata(cell)).toEqual({ ok: true, iso });
  });

  test.each([
    [
      '31/02/2026',
      '"31/02/2026" is not a real date: February 2026 has 28 days',
    ],
    [
      '29/02/2026',
      '"29/02/2026" is not a real date: February 2026 has 28 days',
    ],
    ['31/04/2026', '"31/04/2026" is not a real date: April 2026 has 30 days'],
    [
      '29/02/1900',
      '"29/02/1900" is not a real date: February 1900 has 28 days',
    ],
    [
      '2026-02-30',
      '"2026-02-30" is not a real date: February 2026 has 28 days',
    ],
    ['00/03/2026', '"00/03/2026" is not a real date: March 2026 has 31 days'],
    ['15/13/2026', '"15/13/2026" is not a real date: there is no month 13'],
    [
      '15/03/2026 25:00',
      '"15/03/2026 25:00" is not a real time: there is no hour 25',
    ],
    [
      '2026-03-15T24:00',
      '"2026-03-15T24:00" is not a real time: there is no hour 24',
    ],
    [
      '15/03/2026 10:61',
      '"15/03/2026 10:61" is not a real time: there is no minute 61',
    ],
    [
      '15/03/2026 10:30:60',
      '"15/03/2026 10:30:60" is not a real time: there is no second 60',
    ],
    [
      '15/03/2026 13:00 PM',
      '"15/03/2026 13:00 PM" is not a real time: hour 13 with PM',
    ],
    [
      '15/03/0026',
      '"15/03/0026" has the year 26, which looks like a typing slip',
    ],
    [
      '2026-03-15T10:30+19:00',
      '"2026-03-15T10:30+19:00" has an offset, +19:00, that no zone uses',
    ],
    [
      '2026',
      '"2026" is a number, not a date; Excel serial dates are read from 10000 (1927-05-18) to 99999 (2173-10-13)',
    ],
    [
      '123456',
      '"123456" is a number, not a date; Excel serial dates are read from 10000 (1927-05-18) to 99999 (2173-10-13)',
    ],
    [
      '15/03-2026',
      '"15/03-2026" is not a date in a layout astradial reads: DD/MM/YYYY or YYYY-MM-DD, each with an optional time such as 10:30, or an Excel serial number',
    ],
    [
      'March 15, 2026',
      '"March 15, 2026" is not a date in a layout astradial reads: DD/MM/YYYY or YYYY-MM-DD, each with an optional time such as 10:30, or an Excel serial number',
    ],
    ['', 'the cell is empty'],
  ])('%j is refused, never rolled over', (cell, detail) => {
    expect(readKolkata(cell)).toEqual({ ok: false, detail });
  });
});

describe('createDateReader with a dateFormat', () => {
  const readUs = createDateReader({
    timezone: 'America/New_York',
    dateFormat: 'MM/DD/YYYY',
  });

  test.each([
    ['03/15/2026', '2026-03-15T00:00:00-04:00'],
    ['3/5/2026', '2026-03-05T00:00:00-05:00'],
    ['03/15/2026 10:30', '2026-03-15T10:30:00-04:00'],
    ['3/15/2026 10:30 PM', '2026-03-15T22:30:00-04:00'],
    // ISO and Excel serials are still read, as they cannot be misread.
    ['2026-03-15', '2026-03-15T00:00:00-04:00'],
    ['46096.4375', '2026-03-15T10:30:00-04:00'],
  ])('MM/DD/YYYY reads %j as %s', (cell, iso) => {
    expect(readUs(cell)).toEqual({ ok: true, iso });
  });

  test('MM/DD/YYYY refuses a day-first date', () => {
    expect(readUs('15/03/2026')).toEqual({
      ok: false,
      detail: '"15/03/2026" is not a real date: there is no month 15',
    });
  });

  test.each([
    ['YYYY/MM/DD', '2026/03/15', '2026-03-15T00:00:00+05:30'],
    ['YYYY/MM/DD HH:mm', '2026/03/15 10:30', '2026-03-15T10:30:00+05:30'],
    ['DD-MM-YYYY', '15-03-2026 10:30:15', '2026-03-15T10:30:15+05:30'],
    ['D.M.YY', '5.3.26', '2026-03-05T00:00:00+05:30'],
    ['DDMMYYYY', '15032026', '2026-03-15T00:00:00+05:30'],
    ['YYYYMMDDTHHmmss', '20260315T103000', '2026-03-15T10:30:00+05:30'],
  ])('%s reads %j as %s', (dateFormat, cell, iso) => {
    const read = createDateReader({ timezone: 'Asia/Kolkata', dateFormat });
    expect(read(cell)).toEqual({ ok: true, iso });
  });

  test.each([
    ['MM/YYYY', 'it needs exactly one day token'],
    ['DD/MM/YYYY/DD', 'it needs exactly one day token'],
    [
      'DD/MM/YYYY HH',
      'an hour token needs a minute token (HH:mm) and the other way round',
    ],
    ['DD/MM/YYYY hh:mm', '"h" is not a token'],
    ['DD/MM/YYYY ss', 'seconds (ss) need HH:mm too'],
    ['DD/MM/YYYY A', 'AM/PM (A) needs an hour token'],
    ['DD/MM/YYYY HH:mm:ss:ss', 'it has more than one second token'],
  ])('the format %j is refused: %s', (dateFormat, reason) => {
    let caught: unknown;
    try {
      createDateReader({ timezone: 'Asia/Kolkata', dateFormat });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(UsageError);
    expect(caught).toMatchObject({
      code: 'config.invalidDateFormat',
      exitCode: 2,
      message: `The date format "${dateFormat}" cannot be used: ${reason}. Build it from DD, MM, YYYY, YY, HH, mm, ss and A, for example MM/DD/YYYY or YYYY/MM/DD HH:mm.`,
    });
  });
});

describe('createDateReader and time zones', () => {
  test('an unknown zone is a usage error', () => {
    expect(() => createDateReader({ timezone: 'Asia/Kolkatta' })).toThrow(
      expect.objectContaining({
        code: 'config.invalidTimezone',
        exitCode: 2,
        message:
          'Unknown time zone "Asia/Kolkatta". Use an IANA zone name such as Asia/Kolkata, Europe/London or UTC.',
      }),
    );
  });

  test('UTC is written +00:00, not Z', () => {
    const read = createDateReader({ timezone: 'UTC' });
    expect(read('15/03/2026 10:30')).toEqual({
      ok: true,
      iso: '2026-03-15T10:30:00+00:00',
    });
  });

  test('offsets with minutes come out whole', () => {
    const read = createDateReader({ timezone: 'Asia/Kathmandu' });
    expect(read('2026-03-15')).toEqual({
      ok: true,
      iso: '2026-03-15T00:00:00+05:45',
    });
  });
});
