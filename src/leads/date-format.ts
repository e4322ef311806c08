import { UsageError } from '../errors.js';

/** What a capture group of a date pattern holds. */
export type DatePart =
  'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'meridiem';

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

const MERIDIEM = '([AaPp]\\.?[Mm]\\.?)';

const FOUR = '(\\d{4})';
const TWO = '(\\d{2})';
const ONE_OR_TWO = '(\\d{1,2})';

// Lenient tokens (D, DD, M, MM, H, HH) accept one or two digits, because
// Excel writes 3/5/2026 for a column formatted MM/DD/YYYY. When a lenient
// token has no separator after it, it must be two digits, or DDMMYYYY could
// be split more than one way.
// prettier-ignore
const TOKEN_RULES: Record<string, TokenRule> = {
  YYYY: { part: 'year',     digits: FOUR,       fixedDigits: FOUR },
  YY:   { part: 'year',     digits: TWO,        fixedDigits: TWO },
  MM:   { part: 'month',    digits: ONE_OR_TWO, fixedDigits: TWO },
  M:    { part: 'month',    digits: ONE_OR_TWO, fixedDigits: TWO },
  DD:   { part: 'day',      digits: ONE_OR_TWO, fixedDigits: TWO },
  D:    { part: 'day',      digits: ONE_OR_TWO, fixedDigits: TWO },
  HH:   { part: 'hour',     digits: ONE_OR_TWO, fixedDigits: TWO },
  H:    { part: 'hour',     digits: ONE_OR_TWO, fixedDigits: TWO },
  mm:   { part: 'minute',   digits: TWO,        fixedDigits: TWO },
  ss:   { part: 'second',   digits: TWO,        fixedDigits: TWO },
  A:    { part: 'meridiem', digits: MERIDIEM,   fixedDigits: MERIDIEM },
};

const TOKEN_PATTERN = /YYYY|YY|MM|M|DD|D|HH|H|mm|ss|A|T|[A-Za-z]|[^A-Za-z]/g;

/**
 * A time after a date that has no time tokens of its own: `10:30`,
 * `10:30:15`, `10:30:15.250` (the fraction is dropped) or `10:30 PM`.
 */
const OPTIONAL_TIME =
  '(?: +(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?' +
  `(?: *${MERIDIEM})?)?`;
const OPTIONAL_TIME_PARTS: DatePart[] = [
  'hour',
  'minute',
  'second',
  'meridiem',
];

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
    if (/^[A-SU-Za-z]$/.test(token)) {
      throw invalidFormat(format, `"${token}" is not a token`);
    }
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
  const problem = findFormatProblem(parts);
  if (problem) throw invalidFormat(format, problem);
}

function findFormatProblem(parts: DatePart[]): string | undefined {
  const count = (part: DatePart) =>
    parts.filter((candidate) => candidate === part).length;

  for (const part of ['year', 'month', 'day'] as const) {
    if (count(part) !== 1) return `it needs exactly one ${part} token`;
  }
  for (const part of ['hour', 'minute', 'second', 'meridiem'] as const) {
    if (count(part) > 1) return `it has more than one ${part} token`;
  }
  if (count('hour') !== count('minute')) {
    return 'an hour token needs a minute token (HH:mm) and the other way round';
  }
  if (count('second') > count('minute')) return 'seconds (ss) need HH:mm too';
  if (count('meridiem') > count('hour')) return 'AM/PM (A) needs an hour token';

  return undefined;
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
