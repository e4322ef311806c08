import {
  describeJsonError,
  excerptOf,
  placeJsonError,
} from './describe-json-error.js';
import type {
  ElementSpan,
  JsonShapeScanner,
  ValueSpan,
} from './json-shape-scanner.js';
import { findRepeatedKeys } from '../contract/find-repeated-key.js';
import { parseValueRecord, type RawRecord } from './raw-record.js';

const LINE_FEED = 0x0a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const BYTE_ORDER_MARK = '\uFEFF';
const ARRAY_NOT_CLOSED =
  'The JSON array is not closed: `]` is missing at the end of the input';
const ARRAY_ENDS_INSIDE_ELEMENT =
  'The input ends inside this element: the JSON array is not closed (`]` is missing at the end)';
const ARRAY_NOT_CLOSED_EITHER =
  'and the JSON array is not closed (`]` is missing at the end)';

type Location = { file: string; line: number; index?: number };

/**
 * The records of a whole JSON document, which `shape` must have scanned
 * exactly, and been finished:
 *
 * - a top-level array gives one per element, with its index and the line
 *   it starts on. A broken array is not given up whole: each element is
 *   parsed on its own, so one bad payload in an export of 500 leaves 499
 *   to check, and an array the input ends inside is one `notJson` record.
 * - objects or arrays one after another, as `jq .` prints them, give one
 *   per value, with its line. One that does not parse is reported at its
 *   start, and the next is read.
 * - anything else is one value. If it does not parse, it is one `notJson`
 *   record at the line of the error; or, when `isMaybeNdjson`, undefined:
 *   the caller reads it as NDJSON.
 */
export function documentRecords(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
  isMaybeNdjson: boolean,
): RawRecord[] | undefined {
  if (shape.firstByte === OPEN_BRACKET) {
    return arrayRecords(bytes, shape, file);
  }
  if (isSequence(shape.values)) {
    return shape.values.map((span) => sequenceRecord(bytes, span, file));
  }

  const text = bytes.toString('utf8');
  try {
    const line = shape.startLine ?? 1;
    return [parseValueRecord(text, { file, line })];
  } catch (error) {
    return isMaybeNdjson ? undefined : [documentErrorRecord(error, text, file)];
  }
}

function arrayRecords(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
): RawRecord[] {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return brokenArrayRecords(bytes, shape, file);
  }
  const line = shape.startLine ?? 1;
  if (!Array.isArray(value)) {
    return [parseValueRecord(text, { file, line })];
  }
  // One scan of the whole array; only when it finds a key written twice
  // are the elements scanned one by one, to say which hold one.
  const hasRepeatedKey = findRepeatedKeys(text).length > 0;
  return value.map((element: unknown, index) => {
    const span = shape.elements[index];
    const location = { file, line: span?.line ?? line, index };
    if (!hasRepeatedKey || !span) {
      return { type: 'value', location, value: element };
    }
    const elementText = bytes.toString('utf8', span.start, span.end);
    return parseValueRecord(elementText, location);
  });
}

/**
 * Several values, each an object or array, and nothing else between them
 * but white space (and a byte order mark, reported with the value after
 * it). A stray `}` or word means a broken document rather than a sequence:
 * cutting it apart would report pieces of it as records.
 */
function isSequence(values: ValueSpan[]): boolean {
  return (
    values.length > 1 &&
    values.every(
      (span) =>
        span.firstByte === OPEN_BRACE || span.firstByte === OPEN_BRACKET,
    )
  );
}

function sequenceRecord(
  bytes: Buffer,
  span: ValueSpan,
  file: string,
): RawRecord {
  const location = { file, line: span.line };
  const text = bytes.toString('utf8', span.start, span.end);
  try {
    return parseValueRecord(text, location);
  } catch (error) {
    return notJsonRecord(error, text, location, columnOf(bytes, span.start));
  }
}

/** One record for a whole document, at the line where parsing failed. */
function documentErrorRecord(
  error: unknown,
  text: string,
  file: string,
): RawRecord {
  const place = placeJsonError(error, text, { line: 1, column: 1 });
  return {
    type: 'notJson',
    location: { file, line: place.line },
    message: describeJsonError(error, text, {
      line: 1,
      column: 1,
      isOneLine: false,
    }),
    excerpt: excerptOf(lineAt(text, place.line)),
  };
}

function brokenArrayRecords(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
): RawRecord[] {
  const records = shape.elements.map((span, index) =>
    elementRecord(bytes, span, { file, line: span.line, index }, shape),
  );
  const last = shape.elements.at(-1);
  const isEndTold =
    last !== undefined &&
    isLastOfOpenArray(bytes, last, shape) &&
    records.at(-1)?.type === 'notJson';
  const ending = isEndTold ? undefined : endingRecord(bytes, shape, file);
  if (ending) records.push(ending);
  return records;
}

function elementRecord(
  bytes: Buffer,
  span: ElementSpan,
  location: Location,
  shape: JsonShapeScanner,
): RawRecord {
  if (span.isEmpty) {
    return {
      type: 'notJson',
      location,
      message:
        'Empty element: nothing stands between two commas, or a comma and ]',
      excerpt: '',
    };
  }
  const text = bytes.toString('utf8', span.start, span.end);
  try {
    return parseValueRecord(text, location);
  } catch (error) {
    const record = notJsonRecord(
      error,
      text,
      location,
      columnOf(bytes, span.start),
    );
    if (isLastOfOpenArray(bytes, span, shape)) {
      record.message = shape.isInsideElement
        ? ARRAY_ENDS_INSIDE_ELEMENT
        : `${record.message}; ${ARRAY_NOT_CLOSED_EITHER}`;
    }
    return record;
  }
}

function notJsonRecord(
  error: unknown,
  text: string,
  location: Location,
  column: number,
): RawRecord & { type: 'notJson' } {
  const origin = { line: location.line, column, isOneLine: false };
  return {
    type: 'notJson',
    location,
    message: describeJsonError(error, text, origin),
    excerpt: excerptOf(text),
  };
}

/**
 * The last element of an array the input ended in: the missing `]` is
 * told with that element's record, so that one problem is one record.
 */
function isLastOfOpenArray(
  bytes: Buffer,
  span: ElementSpan,
  shape: JsonShapeScanner,
): boolean {
  return (
    shape.isArrayOpen &&
    span === shape.elements.at(-1) &&
    span.end === bytes.length
  );
}

/**
 * What follows the elements, when it is wrong: text after the closing
 * `]`, or the input ending before it. Not called when the last element's
 * record already says the array is not closed.
 */
function endingRecord(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
): RawRecord | undefined {
  if (shape.problem === 'after') {
    const offset = shape.problemOffset ?? 0;
    const lineEnd = bytes.indexOf(LINE_FEED, offset);
    const text = bytes.toString(
      'utf8',
      offset,
      lineEnd === -1 ? bytes.length : lineEnd,
    );
    return {
      type: 'notJson',
      location: { file, line: shape.problemLine ?? 1 },
      message: text.startsWith(BYTE_ORDER_MARK)
        ? 'Found a byte order mark (U+FEFF) in the middle of the file, after the end of the JSON array, as left by joining two files saved on Windows: remove it'
        : 'Unexpected text after the end of the JSON array',
      excerpt: excerptOf(text),
    };
  }
  if (!shape.isArrayOpen) return undefined;
  const { line, text } = lastLineOf(bytes);
  return {
    type: 'notJson',
    location: { file, line },
    message: ARRAY_NOT_CLOSED,
    excerpt: excerptOf(text),
  };
}

/** 1-based column of a byte offset, in characters as an editor counts. */
function columnOf(bytes: Buffer, offset: number): number {
  const lineStart =
    offset === 0 ? 0 : bytes.lastIndexOf(LINE_FEED, offset - 1) + 1;
  return bytes.toString('utf8', lineStart, offset).length + 1;
}

/** The text of 1-based line `line`. */
function lineAt(text: string, line: number): string {
  let start = 0;
  for (let count = 1; count < line; count++) {
    const lineFeed = text.indexOf('\n', start);
    if (lineFeed === -1) break;
    start = lineFeed + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}

/** The last line that is not blank, and its 1-based number. */
function lastLineOf(bytes: Buffer): { line: number; text: string } {
  const text = bytes.toString('utf8').trimEnd();
  const start = text.lastIndexOf('\n') + 1;
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1;) {
    line++;
    index = text.indexOf('\n', index + 1);
  }
  return { line, text: text.slice(start) };
}
