/**
 * The push journal's text format. Line 1 is a JSON header; every later line
 * is one record: an op letter, a space, the input's line number and, for R
 * and U, a space and a JSON object. Records are parsed from bytes because a
 * journal of a large push holds millions of them.
 */

export const JOURNAL_KIND = 'astradial-push';
export const JOURNAL_VERSION = 1;

/**
 * How every journal starts: encodeHeader writes the `journal` key first.
 * A file that starts otherwise is not a journal at all, rather than a
 * damaged one.
 */
export const JOURNAL_SIGNATURE = `{"journal":"${JOURNAL_KIND}"`;

/**
 * The largest input line number a record may carry. Replay keeps one byte
 * per line, so a damaged number must not make it allocate gigabytes.
 */
export const MAX_LINE = 2 ** 31 - 1;

export type JournalHeader = {
  journal: typeof JOURNAL_KIND;
  version: typeof JOURNAL_VERSION;
  input: { path: string; size: number; sha256: string };
  target: string;
  createdAt: string;
};

export type JournalRecord =
  | { op: 'S' | 'D' | 'N'; line: number }
  | { op: 'R'; line: number; reason: string; detail: string }
  | { op: 'U'; line: number; detail: string };

/** A header that is not one this version of astradial can resume from. */
export class UnreadableHeaderError extends Error {}

const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
/** Ten digits already exceed MAX_LINE; more cannot be a valid line. */
const MAX_DIGITS = 10;

const OP_OF_BYTE: Record<number, JournalRecord['op']> = {
  0x53: 'S',
  0x44: 'D',
  0x52: 'R',
  0x55: 'U',
  0x4e: 'N',
};

export function encodeHeader(header: JournalHeader): string {
  // The signature's key goes first, however the caller ordered them.
  const { journal, ...rest } = header;
  return JSON.stringify({ journal, ...rest });
}

/** Parses line 1 of a journal; throws UnreadableHeaderError if it is not. */
export function parseHeader(text: string): JournalHeader {
  const value = parseJsonObject(text);
  if (!value || value.journal !== JOURNAL_KIND) {
    throw new UnreadableHeaderError('is not an astradial push journal header');
  }
  if (typeof value.version === 'number' && value.version > JOURNAL_VERSION) {
    throw new UnreadableHeaderError(
      `was written by a newer astradial (journal version ${value.version}); update astradial to resume from it`,
    );
  }
  const input = isObject(value.input) ? value.input : {};
  const isValid =
    value.version === JOURNAL_VERSION &&
    typeof input.path === 'string' &&
    Number.isSafeInteger(input.size) &&
    typeof input.sha256 === 'string' &&
    typeof value.target === 'string' &&
    typeof value.createdAt === 'string';
  if (!isValid) {
    throw new UnreadableHeaderError('is an incomplete journal header');
  }
  return value as JournalHeader;
}

/** One record as a line of text, without the newline. */
export function encodeRecord(record: JournalRecord): string {
  if (
    !Number.isInteger(record.line) ||
    record.line < 1 ||
    record.line > MAX_LINE
  ) {
    throw new RangeError(`Not a line number: ${record.line}`);
  }
  switch (record.op) {
    case 'R': {
      const { reason, detail } = record;
      return `R ${record.line} ${JSON.stringify({ reason, detail })}`;
    }
    case 'U':
      return `U ${record.line} ${JSON.stringify({ detail: record.detail })}`;
    default:
      return `${record.op} ${record.line}`;
  }
}

/**
 * Parses the record in `bytes[start, end)` (no newline), or returns
 * undefined when it does not follow the format.
 */
export function parseRecord(
  bytes: Buffer,
  start: number,
  end: number,
): JournalRecord | undefined {
  const op = OP_OF_BYTE[bytes[start] ?? -1];
  if (!op || bytes[start + 1] !== SPACE) return undefined;

  const digitsStart = start + 2;
  let index = digitsStart;
  let line = 0;
  while (index < end && isDigit(bytes[index])) {
    line = line * 10 + (bytes[index]! - ZERO);
    index += 1;
  }
  const digitCount = index - digitsStart;
  const isValidNumber =
    digitCount > 0 &&
    digitCount <= MAX_DIGITS &&
    bytes[digitsStart] !== ZERO &&
    line <= MAX_LINE;
  if (!isValidNumber) return undefined;

  if (op === 'S' || op === 'D' || op === 'N') {
    return index === end ? { op, line } : undefined;
  }
  if (bytes[index] !== SPACE) return undefined;
  const payload = parseJsonObject(bytes.toString('utf8', index + 1, end));
  if (!payload || typeof payload.detail !== 'string') return undefined;
  if (op === 'U') return { op, line, detail: payload.detail };
  if (typeof payload.reason !== 'string') return undefined;
  return { op, line, reason: payload.reason, detail: payload.detail };
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= ZERO && byte <= NINE;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
