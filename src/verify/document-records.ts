import { describeJsonError, excerptOf } from './describe-json-error.js';
import type { ElementSpan, JsonShapeScanner } from './json-shape-scanner.js';
import type { RawRecord } from './raw-record.js';

const OPEN_BRACKET = 0x5b;

/**
 * The records of a whole JSON document: one per element of a top-level
 * array (with its index and the line it starts on), or one for any other
 * value. `shape` must have scanned exactly `bytes`, and been finished.
 *
 * A broken array is not given up whole: each element is parsed on its
 * own, so one bad payload in an export of 500 leaves 499 to check, and an
 * array cut off mid-write ends in a `cutShort` record. Any other document
 * that does not parse gives undefined: the caller reads it as NDJSON.
 */
export function documentRecords(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
): RawRecord[] | undefined {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (shape.firstByte !== OPEN_BRACKET) return undefined;
    return brokenArrayRecords(bytes, shape, file);
  }

  const line = shape.startLine ?? 1;
  if (!Array.isArray(value) || shape.firstByte !== OPEN_BRACKET) {
    return [{ type: 'value', location: { file, line }, value }];
  }
  return value.map((element: unknown, index) => ({
    type: 'value',
    location: { file, line: shape.elements[index]?.line ?? line, index },
    value: element,
  }));
}

function brokenArrayRecords(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
): RawRecord[] {
  const records = shape.elements.map((span, index) =>
    elementRecord(bytes, span, { file, line: span.line, index }, shape),
  );
  const ending = endingRecord(bytes, shape, file, records.at(-1));
  if (ending) records.push(ending);
  return records;
}

type ElementLocation = { file: string; line: number; index: number };

function elementRecord(
  bytes: Buffer,
  span: ElementSpan,
  location: ElementLocation,
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
    return { type: 'value', location, value: JSON.parse(text) };
  } catch (error) {
    if (isCutElement(bytes, span, shape)) {
      return { type: 'cutShort', location, excerpt: excerptOf(text) };
    }
    const origin = { line: span.line, column: columnOf(bytes, span.start) };
    return {
      type: 'notJson',
      location,
      message: describeJsonError(error, text, { ...origin, isOneLine: false }),
      excerpt: excerptOf(text),
    };
  }
}

/** The last element of an array the input ended inside. */
function isCutElement(
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
 * `]`, or the input ending before it (after a complete element).
 */
function endingRecord(
  bytes: Buffer,
  shape: JsonShapeScanner,
  file: string,
  lastRecord: RawRecord | undefined,
): RawRecord | undefined {
  if (shape.problem === 'after') {
    const offset = shape.problemOffset ?? 0;
    const lineEnd = bytes.indexOf(0x0a, offset);
    const end = lineEnd === -1 ? bytes.length : lineEnd;
    return {
      type: 'notJson',
      location: { file, line: shape.problemLine ?? 1 },
      message: 'Unexpected text after the end of the JSON array',
      excerpt: excerptOf(bytes.toString('utf8', offset, end)),
    };
  }
  if (!shape.isArrayOpen || lastRecord?.type === 'cutShort') return undefined;
  const { line, text } = lastLineOf(bytes);
  return {
    type: 'cutShort',
    location: { file, line },
    excerpt: excerptOf(text),
  };
}

/** 1-based column of a byte offset, in characters as an editor counts. */
function columnOf(bytes: Buffer, offset: number): number {
  const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  return bytes.toString('utf8', lineStart, offset).length + 1;
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
