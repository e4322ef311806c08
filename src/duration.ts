import { UsageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/**
 * A duration as people write it on a command line: `90s`, `10m`, `1h`,
 * `500ms`, or a plain number of seconds. Returns milliseconds; throws a
 * UsageError naming `flag` for anything else, zero or negative.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  const amount = match ? Number(match[1]) : Number.NaN;
  const unit = (match?.[2] ?? 's').toLowerCase();
  const ms = amount * UNIT_MS[unit]!;
  if (!(ms >= 1) || !Number.isFinite(ms)) {
    throw new UsageError(
      'usage.invalidDuration',
      `${flag} "${text}" is not a duration above zero. Write it as 30s, 10m or 1h (a plain number means seconds).`,
    );
  }
  return ms;
}
