import { UsageError } from '../errors.js';

/** What a capture group of a date pattern holds. */
export type DatePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'meridiem';

/**
 * A date layout compiled once to a regular expression. `parts[i]` names
 * what capture group `i + 1` holds; `undefined` marks a group to skip.
 */
export type DatePattern = {
  readonly description: string;
  readonly regex: RegExp;
  readonly parts: readonly (DatePart | undefined)[];
};

type TokenRule = { part: DatePart; digits: string; fixedDigits: string };

// Lenient tokens (D, DD, M, MM, H, HH) accept one or two digits, because
// Excel writes 3/5/2026 for a column formatted MM/DD/YYYY. When a lenient
// token has no separator after it, it must be two digits, or DDMMYYYY could
// be split more than one way.
// prettier-ignore
const TOKEN_RULES: Record<string, TokenRule> = {
  YYYY: { part: 'year',     digits: '(\\d{4})',           fixedDigits: '(\\d{4})' },
  YY:   { part: 'year',     digits: '(\\d{2})',           fixedDigits: '(\\d{2})' },
  MM:   { part: 'month',    digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  M:    { part: 'month',    digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  DD:   { part: 'day',      digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  D:    { part: 'day',      digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  HH:   { part: 'hour',     digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  H:    { part: 'hour',     digits: '(\\d{1,2})',         fixedDigits: '(\\d{2})' },
  mm:   { part: 'minute',   digits: '(\\d{2})',           fixedDigits: '(\\d{2})' },
  ss:   { part: 'second',   digits: '(\\d{2})',           fixedDigits: '(\\d{2})' },
  A:    { part: 'meridiem', digits: '([AaPp]\\.?[Mm]\\.?)', fixedDigits: '([AaPp]\\.?[Mm]\\.?)' },
};

const TOKEN_PATTERN = /YYYY|YY|MM|M|DD|D|HH|H|mm|ss|A|T|[A-Za-z]|[^A-Za-z]/g;

/**
 * A time after a date that has no time tokens of its own: `10:30`,
 * `10:30:15`, `10:30:15.250` (the fraction is dropped) or `10:30 PM`.
 */
const OPTIONAL_TIME =
  '(?: +(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?(?: *([AaPp]\\.?[Mm]\\.?))?)?';
const OPTIONAL_TIME_PARTS: DatePart[] = ['hour', 'minute', 'second', 'meridiem'];

/**
 * The default: day first, as Indian and British exports write dates.
 * `/`, `-` or `.` separate the parts, the same one both times.
 */
export const DAY_FIRST_PATTERN: DatePattern = {
  description: 'DD/MM/YYYY',
  regex: new RegExp(
    `^(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})${OPTIONAL_TIME}$`,
  ),
  parts: ['day', undefined, 'month', 'year', ...OPTIONAL_TIME_PARTS],
};

/**
 * Compiles a layout such as `MM/DD/YYYY` or `YYYY/MM/DD HH:mm`. Tokens:
 * YYYY YY MM M DD D HH H mm ss A (AM/PM); `T` and every character that is
 * not a letter stand for themselves, and a space matches one or more. A
 * layout without an hour token also accepts an optional time after the date.
 */
export function compileDateFormat(format: string): DatePattern {
  const tokens = format.match(TOKEN_PATTERN) ?? [];
  const parts: DatePart[] = [];
  let source = '';

  tokens.forEach((token, position) => {
    const rule = TOKEN_RULES[token];
    if (rule) {
      const next = tokens[position + 1];
      const isFollowedByLiteral = next === undefined || !TOKEN_RULES[next];
      source += isFollowedByLiteral ? rule.digits : rule.fixedDigits;
      parts.push(rule.part);
      return;
    }
    if (/^[A-SU-Za-z]$/.test(token)) throw invalidFormat(format, `"${token}" is not a token`);
    source += token === ' ' ? ' +' : escapeRegExp(token);
  });

  verifyFormatParts(format, parts);
  if (!parts.includes('hour')) {
    source += OPTIONAL_TIME;
    parts.push(...OPTIONAL_TIME_PARTS);
  }

  return { description: format, regex: new RegExp(`^${source}$`), parts };
}

function verifyFormatParts(format: string, parts: DatePart[]): void {
  for (const part of ['year', 'month', 'day'] as const) {
    const count = parts.filter((candidate) => candidate === part).length;
    if (count !== 1) throw invalidFormat(format, `it needs exactly one ${part} token`);
  }
  for (const part of ['hour', 'minute', 'second', 'meridiem'] as const) {
    const count = parts.filter((candidate) => candidate === part).length;
    if (count > 1) throw invalidFormat(format, `it has more than one ${part} token`);
  }

  const has = (part: DatePart) => parts.includes(part);
  if (has('hour') !== has('minute')) throw invalidFormat(format, 'an hour token needs a minute token (HH:mm) and the other way round');
  if (has('second') && !has('minute')) throw invalidFormat(format, 'a seconds token needs HH:mm too');
  if (has('meridiem') && !has('hour')) throw invalidFormat(format, 'AM/PM (A) needs an hour token');
}

function invalidFormat(format: string, reason: string): UsageError {
  return new UsageError(
    'config.invalidDateFormat',
    `The date format "${format}" cannot be used: ${reason}. Build it from DD, MM, YYYY, YY, HH, mm, ss and A, for example MM/DD/YYYY or YYYY/MM/DD HH:mm.`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
