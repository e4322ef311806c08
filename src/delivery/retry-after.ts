/**
 * Parses a Retry-After header (RFC 9110 section 10.2.3) into milliseconds
 * from `now`. Both forms appear in the wild: delta-seconds (`3`) and an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). `Number()` of a date is NaN,
 * which made one client retry at once (case C11), so each form is matched
 * explicitly.
 *
 * Returns 0 for a date already past, and undefined for a missing or
 * unreadable value so the caller can pick its own default. `Date.parse` is
 * not used on its own: it accepts strings such as `2` or `soon 5`.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();

  if (DELTA_SECONDS.test(text)) return Number(text) * 1000;

  const date = parseHttpDate(text);
  if (date === undefined) return undefined;
  return Math.max(0, date - now);
}

// Integers per the RFC; a fraction ("1.5") is accepted because it is
// unambiguous and some servers send it.
const DELTA_SECONDS = /^\d+(?:\.\d+)?$/;

// prettier-ignore
const MONTHS = [
  'jan', 'feb', 'mar', 'apr', 'may', 'jun',
  'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
];

// prettier-ignore
const HTTP_DATE_FORMS = [
  // IMF-fixdate, the preferred form: Sun, 06 Nov 1994 08:49:37 GMT
  { pattern: /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i, order: 'day-month-year' },
  // Obsolete RFC 850 form: Sunday, 06-Nov-94 08:49:37 GMT
  { pattern: /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i, order: 'day-month-year' },
  // Obsolete asctime form: Sun Nov  6 08:49:37 1994
  { pattern: /^[a-z]{3} ([a-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i, order: 'month-day-time-year' },
] as const;

type Six = [string, string, string, string, string, string];

/** Milliseconds since the epoch for an HTTP-date in any of its three forms. */
export function parseHttpDate(text: string): number | undefined {
  for (const { pattern, order } of HTTP_DATE_FORMS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const groups = match.slice(1).map((group) => group ?? '');
    const [first, second, third, fourth, fifth, sixth] = groups as Six;
    return order === 'day-month-year'
      ? buildDate(third, second, first, fourth, fifth, sixth)
      : buildDate(sixth, first, second, third, fourth, fifth);
  }
  return undefined;
}

function buildDate(
  yearText: string,
  monthName: string,
  dayText: string,
  hourText: string,
  minuteText: string,
  secondText: string,
): number | undefined {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  const isDayValid = day >= 1 && day <= 31;
  const isTimeValid = hour <= 23 && minute <= 59 && second <= 60;
  if (month === -1 || !isDayValid || !isTimeValid) return undefined;

  const year =
    yearText.length === 2
      ? widenTwoDigitYear(Number(yearText))
      : Number(yearText);
  return Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
}

/**
 * RFC 9110: a two-digit year that would be more than 50 years in the future
 * means the most recent past year with those digits.
 */
function widenTwoDigitYear(twoDigits: number): number {
  const thisYear = new Date().getUTCFullYear();
  const candidate = thisYear - (thisYear % 100) + twoDigits;
  return candidate > thisYear + 50 ? candidate - 100 : candidate;
}
