import { describeJsonError, excerptOf } from './describe-json-error.js';
import { formatByteSize } from './format-byte-size.js';
import type { RawRecord } from './raw-record.js';

const CARRIAGE_RETURN = 0x0d;
const OPEN_BRACE = 0x7b;
/** Enough bytes for an 80-character excerpt even of 4-byte characters. */
export const EXCERPT_BYTES = 400;
const BLANK = /^[ \t\r]*$/;

/**
 * Complete NDJSON lines, not yet parsed: `text` ends with a line feed and
 * its first line is line `firstLine` of `file`. Runs are what verify hands
 * to its worker threads, so they hold only strings and numbers.
 */
export type LineRun = {
  type: 'lines';
  file: string;
  firstLine: number;
  text: string;
  maxLineBytes: number;
};

/**
 * The records of a run, one per non-blank line. This loop runs once per
 * line of the input, so it avoids anything per line that is not needed:
 * no promise, no copy beyond the slice JSON.parse reads.
 */
export function parseLineRun(run: LineRun): RawRecord[] {
  const records: RawRecord[] = [];
  const { text } = run;
  let line = run.firstLine;
  let position = 0;
  let lineFeed = text.indexOf('\n');
  while (lineFeed !== -1) {
    const record = parseLine(run, line, position, lineFeed);
    if (record) records.push(record);
    line += 1;
    position = lineFeed + 1;
    lineFeed = text.indexOf('\n', position);
  }
  return records;
}

/** How many lines a run holds: one per line feed. */
export function countLines(text: string): number {
  let count = 0;
  let lineFeed = text.indexOf('\n');
  while (lineFeed !== -1) {
    count += 1;
    lineFeed = text.indexOf('\n', lineFeed + 1);
  }
  return count;
}

function parseLine(
  run: LineRun,
  lineNumber: number,
  start: number,
  end: number,
): RawRecord | undefined {
  const { text, file, maxLineBytes } = run;
  const location = { file, line: lineNumber };
  if (
    end - start > maxLineBytes / 3 &&
    isTooLong(text, start, end, maxLineBytes)
  ) {
    const head = text.slice(start, start + EXCERPT_BYTES);
    return tooLongRecord(location, excerptOf(head, false), maxLineBytes);
  }
  const line =
    text.charCodeAt(end - 1) === CARRIAGE_RETURN
      ? text.slice(start, end - 1)
      : text.slice(start, end);
  if (line.charCodeAt(0) !== OPEN_BRACE && BLANK.test(line)) return undefined;
  try {
    return { type: 'value', location, value: JSON.parse(line) };
  } catch (error) {
    return {
      type: 'notJson',
      location,
      message: describeJsonError(error, line, {
        line: lineNumber,
        column: 1,
        isOneLine: true,
      }),
      excerpt: excerptOf(line),
    };
  }
}

/** The limit is in bytes, and a character takes one to four of them. */
function isTooLong(
  text: string,
  start: number,
  end: number,
  maxLineBytes: number,
): boolean {
  if (end - start > maxLineBytes) return true;
  return Buffer.byteLength(text.slice(start, end)) > maxLineBytes;
}

/** A line over the limit: reported by its start, never parsed. */
export function tooLongRecord(
  location: { file: string; line: number },
  excerpt: string,
  maxLineBytes: number,
): RawRecord {
  const limit = formatByteSize(maxLineBytes);
  return {
    type: 'notJson',
    location,
    message: `The line is longer than the ${limit} limit for one record, so it was not read`,
    excerpt,
  };
}
