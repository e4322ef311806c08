import { isUtf8 } from 'node:buffer';

import { describeJsonError, excerptOf } from './describe-json-error.js';
import { formatByteSize } from './format-byte-size.js';
import { parseValueRecord, type RawRecord } from './raw-record.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_BRACE = 0x7b;
/** Enough bytes for an 80-character excerpt even of 4-byte characters. */
export const EXCERPT_BYTES = 400;
const BLANK = /^[ \t\r]*$/;

/**
 * Complete NDJSON lines, not yet decoded or parsed: `bytes` end with a
 * line feed and their first line is line `firstLine` of `file`. Runs are
 * what verify hands to its worker threads, so they hold only bytes,
 * strings and numbers.
 */
export type LineRun = {
  type: 'lines';
  file: string;
  firstLine: number;
  bytes: Uint8Array;
  maxLineBytes: number;
};

/**
 * The records of a run, one per non-blank line. A run that is all UTF-8,
 * as nearly every one is, is decoded once and cut into lines as text;
 * otherwise each line is decoded on its own, so that only the lines with
 * bytes UTF-8 does not allow are reported, each by its number.
 */
export function parseLineRun(run: LineRun): RawRecord[] {
  const bytes = Buffer.from(
    run.bytes.buffer,
    run.bytes.byteOffset,
    run.bytes.byteLength,
  );
  return isUtf8(bytes)
    ? parseText(run, bytes.toString('utf8'))
    : parseLinesOneByOne(run, bytes);
}

/**
 * This loop runs once per line of the input, so it avoids anything per
 * line that is not needed: no promise, no copy beyond the slice JSON.parse
 * reads.
 */
function parseText(run: LineRun, text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let line = run.firstLine;
  let position = 0;
  let lineFeed = text.indexOf('\n');
  while (lineFeed !== -1) {
    const record = parseLine(run, text, line, position, lineFeed);
    if (record) records.push(record);
    line += 1;
    position = lineFeed + 1;
    lineFeed = text.indexOf('\n', position);
  }
  return records;
}

function parseLinesOneByOne(run: LineRun, bytes: Buffer): RawRecord[] {
  const records: RawRecord[] = [];
  let line = run.firstLine;
  let position = 0;
  let lineFeed = bytes.indexOf(LINE_FEED);
  while (lineFeed !== -1) {
    const lineBytes = bytes.subarray(position, lineFeed + 1);
    const record = isUtf8(lineBytes)
      ? parseText({ ...run, firstLine: line }, lineBytes.toString('utf8'))
      : [notUtf8Record(run.file, line, lineBytes)];
    records.push(...record);
    line += 1;
    position = lineFeed + 1;
    lineFeed = bytes.indexOf(LINE_FEED, position);
  }
  return records;
}

/** A line with bytes that UTF-8 does not allow: reported, never guessed at. */
export function notUtf8Record(
  file: string,
  line: number,
  bytes: Buffer,
): RawRecord {
  return {
    type: 'notJson',
    location: { file, line },
    message:
      'The line is not UTF-8 text: it holds bytes UTF-8 does not allow, as a file saved as Windows-1252 or Latin-1 does. Save the file as UTF-8',
    excerpt: excerptOf(bytes.toString('utf8', 0, EXCERPT_BYTES)),
  };
}

/** How many lines a run holds: one per line feed. */
export function countLines(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let count = 0;
  let lineFeed = buffer.indexOf(LINE_FEED);
  while (lineFeed !== -1) {
    count += 1;
    lineFeed = buffer.indexOf(LINE_FEED, lineFeed + 1);
  }
  return count;
}

function parseLine(
  run: LineRun,
  text: string,
  lineNumber: number,
  start: number,
  end: number,
): RawRecord | undefined {
  const { file, maxLineBytes } = run;
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
    return parseValueRecord(line, location);
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
