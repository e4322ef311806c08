import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)?\s*$/i;

/**
 * `500ms`, `90s`, `10m`, `2h`, `3d`, `1w` in milliseconds, or undefined when
 * `text` is not a duration. A bare number counts in `plainUnit`, and is
 * not a duration when that is not given.
 */
export function readDuration(
  text: string,
  plainUnit?: 's',
): number | undefined {
  const match = DURATION.exec(text);
  const unit = (match?.[2] ?? plainUnit)?.toLowerCase();
  if (!match || unit === undefined) return undefined;
  return Number(match[1]) * UNIT_MS[unit]!;
}

/**
 * The longest duration a flag takes: a day. Node's timers stop at about
 * 24.8 days, and no wait for an answer or outage longer than a day should
 * run unattended; a day keeps one figure for every duration flag.
 */
export const MAX_DURATION_MS = UNIT_MS.d!;

const FORMS = 'Write it as 30s, 10m, 1h or 1d (a plain number means seconds).';

/**
 * A duration as people write it on a command line: `90s`, `10m`, `1h`,
 * `1d`, `500ms`, or a plain number of seconds. Returns milliseconds; throws
 * a UsageError naming `flag` for anything else, for zero or less, and for
 * more than MAX_DURATION_MS.
 */
export function parseDuration(text: string, flag: string): number {
  const ms = readDuration(text, 's');
  if (ms === undefined) {
    throw invalidDuration(`${flag} "${text}" is not a duration. ${FORMS}`);
  }
  if (!(ms >= 1)) {
    throw invalidDuration(
      `${flag} "${text}" is not a duration above zero. ${FORMS}`,
    );
  }
  if (ms > MAX_DURATION_MS) {
    throw invalidDuration(
      `${flag} "${text}" is too large: the maximum is 24h (1d).`,
    );
  }
  return ms;
}

function invalidDuration(message: string): UsageError {
  return new UsageError('usage.invalidDuration', message);
}
