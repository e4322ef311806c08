import { UsageError } from '../errors.js';

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  mb: 1024 * 1024,
};

/** The largest size accepted: a body is held in memory whole. */
export const MAX_BYTE_SIZE = 100 * UNIT_BYTES.mb!;

/**
 * A size as people write it on a command line: `1mb`, `512kb`, `1.5MB` or a
 * plain number of bytes, from 1 byte to MAX_BYTE_SIZE. Units are binary
 * (1kb = 1024 bytes). Throws a UsageError naming `flag`, the units and the
 * range for anything else.
 */
export function parseByteSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(text);
  const bytes = match
    ? Math.floor(
        Number(match[1]) * UNIT_BYTES[(match[2] ?? 'b').toLowerCase()]!,
      )
    : 0;
  if (bytes >= 1 && bytes <= MAX_BYTE_SIZE) return bytes;
  throw new UsageError(
    'usage.invalidSize',
    `${flag} "${text}" is not a size from 1 byte to 100mb. Write a number of bytes, or a number followed by b, kb or mb (1kb = 1024 bytes), e.g. 512kb or 1.5mb.`,
  );
}
