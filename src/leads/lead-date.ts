import { cleanVisibleText } from '../text/invisible.js';
import {
  compileDateFormat,
  DAY_FIRST_PATTERN,
  type DatePattern,
} from './date-format.js';
import {
  createZoneResolver,
  msToWall,
  type WallTime,
  type ZoneResolver,
} from './zone-offset.js';

export interface DateReaderOptions {
  /** IANA zone for dates that carry no offset, such as `Asia/Kolkata`. */
  timezone: string;
  /** Layout such as `MM/DD/YYYY`; day-first DD/MM/YYYY when left out. */
  dateFormat?: string;
}

export type DateReadResult =
  { ok: true; iso: string } | { ok: false; detail: string };

/** Reads one date cell; never throws for bad cell content. */
export type DateReader = (cell: string) => DateReadResult;

/**
 * Two-digit years follow POSIX strptime (and Python): 69-99 are 1969-1999,
 * 00-68 are 2000-2068.
 */
const TWO_DIGIT_YEAR_PIVOT = 69;

/**
 * Excel serial dates (1900 system) are read only from 10000 (1927-05-18) to
 * 99999 (2173-10-13), so that a stray count or ID is not taken for a date.
 */
const EXCEL_SERIAL_RANGE = { min: 10_000, max: 99_999 } as const;

// Serial 25569 is 1970-01-01 in Excel's 1900 date system.
const EXCEL_UNIX_EPOCH = 25_569;
const DAY_SECONDS = 86_400;
const MIN_YEAR = 1000;

// 2026-03-15, then optionally T or a space, 10:30, :00, .000 and an
// offset: Z, +05:30, +0530 or +05.
const ISO_PATTERN = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' +
    '(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?' +
    '(?: ?([Zz]|[+-]\\d{2}(?::?\\d{2})?))?)?$',
);
const NUMBER_PATTERN = /^\d+(?:[.,]\d+)?$/;
const NON_ASCII_PATTERN = /[^\x20-\x7E]/;

// prettier-ignore
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December',
];
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// '00' to '99', so the hot path pads numbers by looking them up.
const PADDED = Array.from({ length: 100 }, (_, number) =>
  String(number).padStart(2, '0'),
);

/**
 * Creates a reader that turns a date cell into ISO 8601 with an offset and
 * no milliseconds, such as `2026-03-15T10:30:00+05:30`. It accepts ISO dates
 * (an offset in the cell is kept as it is), day-first dates or the given
 * `dateFormat`, and Excel serial numbers. Throws a UsageError for an unknown
 * zone or an unusable format, before any row is read.
 */
export function createDateReader(options: DateReaderOptions): DateReader {
  const pattern = options.dateFormat
    ? compileDateFormat(options.dateFormat)
    : DAY_FIRST_PATTERN;
  const resolveZone = createZoneResolver(options.timezone);

  return (cell) => {
    const text = NON_ASCII_PATTERN.test(cell)
      ? cleanVisibleText(cell)
      : cell.trim();
    if (text === '') return { ok: false, detail: 'the cell is empty' };

    const iso = ISO_PATTERN.exec(text);
    if (iso) return readIso(text, iso, resolveZone);
    // Before serials, so that a layout of digits only (DDMMYYYY) works.
    const match = pattern.regex.exec(text);
    if (match) return readPattern(text, match, pattern, resolveZone);
    if (NUMBER_PATTERN.test(text)) return readSerial(text, resolveZone);

    return fail(
      text,
      `is not a date in a layout astradial reads: ${pattern.description} or YYYY-MM-DD, each with an optional time such as 10:30, or an Excel serial number`,
    );
  };
}

function readIso(
  text: string,
  match: RegExpExecArray,
  resolveZone: ZoneResolver,
): DateReadResult {
  const [, year, month, day, hour, minute, second, offset] = match;
  const wall = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: hour === undefined ? 0 : Number(hour),
    minute: minute === undefined ? 0 : Number(minute),
    second: second === undefined ? 0 : Number(second),
  };
  const problem = findWallTimeProblem(wall);
  if (problem) return fail(text, problem);
  if (offset === undefined) return zonedIso(wall, resolveZone);

  const cellOffset = normaliseOffset(offset);
  if (!cellOffset) {
    return fail(text, `has an offset, ${offset}, that no zone uses`);
  }

  return { ok: true, iso: formatWall(wall) + cellOffset };
}

function readSerial(text: string, resolveZone: ZoneResolver): DateReadResult {
  const serial = Number(text.replace(',', '.'));
  const { min, max } = EXCEL_SERIAL_RANGE;
  if (serial < min || serial >= max + 1) {
    return fail(
      text,
      `is a number, not a date; Excel serial dates are read from ${min} (1927-05-18) to ${max} (2173-10-13)`,
    );
  }

  // Rounded to the second: Excel stores 10:31 as 0.438194..., not exactly.
  const seconds = Math.round((serial - EXCEL_UNIX_EPOCH) * DAY_SECONDS);
  return zonedIso(msToWall(new Date(seconds * 1000)), resolveZone);
}

function readPattern(
  text: string,
  match: RegExpExecArray,
  pattern: DatePattern,
  resolveZone: ZoneResolver,
): DateReadResult {
  const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let meridiem: string | undefined;

  for (let index = 0; index < pattern.parts.length; index += 1) {
    const part = pattern.parts[index];
    const value = match[index + 1];
    if (part === undefined || value === undefined) continue;
    if (part === 'meridiem') meridiem = value;
    else wall[part] = Number(value);
    if (part === 'year' && value.length === 2) wall.year = widenYear(wall.year);
  }

  if (meridiem !== undefined) {
    if (wall.hour < 1 || wall.hour > 12) {
      const problem = `is not a real time: hour ${wall.hour} with ${meridiem}`;
      return fail(text, problem);
    }
    const isAfternoon = meridiem[0] === 'P' || meridiem[0] === 'p';
    wall.hour = (wall.hour % 12) + (isAfternoon ? 12 : 0);
  }

  const problem = findWallTimeProblem(wall);
  if (problem) return fail(text, problem);

  return zonedIso(wall, resolveZone);
}

function widenYear(shortYear: number): number {
  return shortYear + (shortYear >= TWO_DIGIT_YEAR_PIVOT ? 1900 : 2000);
}

/**
 * Says why a wall time does not exist, or returns undefined. JS Date would
 * roll 31/02 over into March; this check is why it never happens here.
 */
function findWallTimeProblem(wall: WallTime): string | undefined {
  const { year, month, day, hour, minute, second } = wall;
  if (year < MIN_YEAR) {
    return `has the year ${year}, which looks like a typing slip`;
  }
  if (month < 1 || month > 12) {
    return `is not a real date: there is no month ${month}`;
  }

  const monthLength = daysInMonth(year, month);
  if (day < 1 || day > monthLength) {
    const monthName = MONTH_NAMES[month - 1];
    return `is not a real date: ${monthName} ${year} has ${monthLength} days`;
  }
  if (hour > 23) return `is not a real time: there is no hour ${hour}`;
  if (minute > 59) return `is not a real time: there is no minute ${minute}`;
  if (second > 59) return `is not a real time: there is no second ${second}`;

  return undefined;
}

function daysInMonth(year: number, month: number): number {
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && isLeap) return 29;

  return MONTH_LENGTHS[month - 1] as number;
}

/** `Z` becomes `+00:00`, `+0530` and `+05` gain their colon and minutes. */
function normaliseOffset(offset: string): string | undefined {
  if (offset === 'Z' || offset === 'z') return '+00:00';

  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 18 || minutes > 59) return undefined;

  const sign = hours === 0 && minutes === 0 ? '+' : offset[0];
  return `${sign}${PADDED[hours]}:${PADDED[minutes]}`;
}

function zonedIso(wall: WallTime, resolveZone: ZoneResolver): DateReadResult {
  const zoned = resolveZone(wall);
  return { ok: true, iso: formatWall(zoned.wall) + zoned.offset };
}

function formatWall(wall: WallTime): string {
  return (
    `${wall.year}-${PADDED[wall.month]}-${PADDED[wall.day]}` +
    `T${PADDED[wall.hour]}:${PADDED[wall.minute]}:${PADDED[wall.second]}`
  );
}

function fail(text: string, problem: string): DateReadResult {
  return { ok: false, detail: `"${text}" ${problem}` };
}
