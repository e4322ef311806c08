import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

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
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)?\s*$/i.exec(text);
  if (!match) {
    throw invalidDuration(`${flag} "${text}" is not a duration. ${FORMS}`);
  }
  const unit = (match[2] ?? 's').toLowerCase();
  const ms = Number(match[1]) * UNIT_MS[unit]!;
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
