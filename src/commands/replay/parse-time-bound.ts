import { DateTime } from 'luxon';

import { readDuration } from '../../duration.js';
import { UsageError } from '../../errors.js';

/** A calendar date first, so that a bare year or number is not a time. */
const ISO_DATE_START = /^\s*\d{4}-\d{2}-\d{2}/;

/** The earliest time a JavaScript Date holds, 271,821 BC. */
const EARLIEST_TIME_MS = -8.64e15;

const FORMS =
  "Give an ISO 8601 time such as 2026-03-07T09:30:00+05:30 (without an offset it is this machine's time), or a duration ago such as 90m, 2h or 3d.";

/**
 * `--since` and `--until` as milliseconds since the epoch: an ISO 8601
 * date or time, or a duration ago (`2h` is two hours before `now`).
 *
 * Durations need a unit here, unlike parseDuration's plain seconds, and
 * may go past its one-day cap: a capture can hold a week of events, and
 * "yesterday's" are more than 24 hours old by the afternoon. A time with
 * no offset is read in this machine's zone, as the user reads a clock; a
 * date alone is its midnight. A space may stand for the `T`.
 */
export function parseTimeBound(
  text: string,
  flag: string,
  now: number,
): number {
  const ms = readDuration(text);
  if (ms !== undefined) {
    if (now - ms < EARLIEST_TIME_MS) {
      throw invalidTime(
        `${flag} "${text}" reaches back before any time a date can hold. ${FORMS}`,
      );
    }
    return now - ms;
  }
  if (!ISO_DATE_START.test(text)) {
    throw invalidTime(
      `${flag} "${text}" is neither a time nor a duration. ${FORMS}`,
    );
  }
  const time = DateTime.fromISO(text.trim().replace(' ', 'T'));
  if (!time.isValid) {
    throw invalidTime(
      `${flag} "${text}" is not a valid time (${time.invalidExplanation ?? time.invalidReason}). ${FORMS}`,
    );
  }
  return time.toMillis();
}

function invalidTime(message: string): UsageError {
  return new UsageError('replay.invalidTime', message);
}
