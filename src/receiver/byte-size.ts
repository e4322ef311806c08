import { UsageError } from '../errors.js';

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 * 1024,
};

/**
 * A size as people write it on a command line: `1mb`, `512kb`, `1.5MB` or a
 * plain number of bytes. Units are binary (1kb = 1024 bytes). Throws a
 * UsageError naming `flag` for anything else and for zero.
 */
export function parseByteSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(text);
  const bytes = match
    ? Math.floor(
        Number(match[1]) * UNIT_BYTES[(match[2] ?? 'b').toLowerCase()]!,
      )
    : 0;
  if (bytes < 1) {
    throw new UsageError(
      'usage.invalidSize',
      `${flag} "${text}" is not a size above zero. Write it as 1mb, 512kb or a number of bytes.`,
    );
  }
  return bytes;
}
