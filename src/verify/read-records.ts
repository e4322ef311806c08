import { isUtf8 } from 'node:buffer';

import { AstradialError, EXIT_CODES } from '../errors.js';
import { documentRecords } from './document-records.js';
import { formatByteSize } from './format-byte-size.js';
import { JsonShapeScanner } from './json-shape-scanner.js';
import { NdjsonSplitter, type SplitPiece } from './ndjson-splitter.js';
import { notUtf8InputError } from './not-utf8-input.js';
import { notUtf8Record, parseLineRun } from './parse-line-run.js';
import type { RawRecord } from './raw-record.js';
import { readInputChunks } from './read-input-chunks.js';
import type { VerifyInput } from './resolve-inputs.js';
import { sniffFormat, type SniffedInput } from './sniff-format.js';

export type { RawRecord } from './raw-record.js';
export type { SplitPiece } from './ndjson-splitter.js';

/**
 * 256 MiB. A JSON document is parsed whole, so this bounds the memory one
 * input can take; NDJSON is read line by line and only its lines are held.
 */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** A parsed document is handed over in batches this size, like NDJSON's. */
const LINE_FEED = 0x0a;
const DOCUMENT_BATCH_RECORDS = 1000;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/** Held bytes go to the NDJSON reader in slices the size of a read. */
const HELD_SLICE_BYTES = 64 * 1024;

export interface ReadRecordsOptions {
  /** The largest line, or whole document, read; 256 MiB when unset. */
  maxRecordBytes?: number;
}

type ReadContext = {
  file: string;
  chunks: AsyncGenerator<Buffer, void, undefined>;
  maxBytes: number;
};

/**
 * Reads an input's records in order, in batches: one per chunk read, so
 * that the caller pays for an await per chunk rather than per line. The
 * format is told from the content, never the name:
 *
 * - NDJSON, one value per line, is streamed; memory does not grow with
 *   the input. Blank lines are no records. A line that is not JSON is a
 *   `notJson` record and reading goes on; so is a line longer than
 *   `maxRecordBytes`, which is passed over without being held.
 * - A document is read whole: an array gives a record per element, with
 *   its index; values one after another (what `jq .` prints) a record
 *   each; one value spread over lines, one record. A document that does
 *   not parse is one `notJson` record at the line of the error.
 *
 * Input that starts with `[` is a document. Input that starts with `{`
 * is NDJSON when its first line parses alone, and a document when that
 * line leaves the object open. A first line that closes but is broken may
 * be either: it is read as a document (values glued as `{…}{…}` are cut
 * apart), and if that does not parse, as NDJSON, so the broken line is
 * reported with its number. Anything else is NDJSON. A UTF-8 BOM at the
 * start is skipped; line numbers count physical lines.
 *
 * Throws `verify.inputUnreadable` when the input cannot be opened or read,
 * `verify.notUtf8Input` for UTF-16 or gzip input, and
 * `verify.documentTooLarge` for a document over `maxRecordBytes`.
 */
export async function* readRecords(
  input: VerifyInput,
  options: ReadRecordsOptions = {},
): AsyncGenerator<RawRecord[], void, undefined> {
  for await (const pieces of readPieces(input, options)) {
    yield pieces.flatMap((piece) =>
      piece.type === 'lines' ? parseLineRun(piece) : [piece],
    );
  }
}

/**
 * As readRecords, but NDJSON lines come as runs still to be parsed (see
 * parseLineRun), so that the parsing can be done in worker threads.
 */
export async function* readPieces(
  input: VerifyInput,
  options: ReadRecordsOptions = {},
): AsyncGenerator<SplitPiece[], void, undefined> {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const chunks = readInputChunks(input);
  const context = { file: input.name, chunks, maxBytes };
  try {
    const { head, ...start } = await sniffFormat(chunks, maxBytes);
    if (start.notUtf8) throw notUtf8InputError(context.file, start.notUtf8);
    if (start.format === 'ndjson') {
      yield* readNdjson([head], context);
    } else {
      yield* readDocument(head, context, start);
    }
  } finally {
    await chunks.return(undefined);
  }
}

async function* readNdjson(
  held: Buffer[],
  context: ReadContext,
): AsyncGenerator<SplitPiece[], void, undefined> {
  const splitter = new NdjsonSplitter(context.file, context.maxBytes);
  for (const part of held) {
    // Held bytes can be a whole document that turned out to be NDJSON;
    // taking them a chunk's worth at a time keeps the batches small.
    for (let start = 0; start < part.length; start += HELD_SLICE_BYTES) {
      const pieces = splitter.push(
        part.subarray(start, start + HELD_SLICE_BYTES),
      );
      if (pieces.length > 0) yield pieces;
    }
  }
  for await (const chunk of context.chunks) {
    const pieces = splitter.push(chunk);
    if (pieces.length > 0) yield pieces;
  }
  const last = splitter.finish();
  if (last.length > 0) yield last;
}

/** What sniffing found; `format` is not `ndjson` here. */
type DocumentStart = Omit<SniffedInput, 'head'>;

/** A document's bytes, held whole; or NDJSON after all, held so far. */
type HeldInput = { isNdjson: boolean; parts: Buffer[]; size: number };

/**
 * Reads a document whole, then parses it: one value, the elements of an
 * array, or values one after another (see documentRecords). A document
 * that may be NDJSON after all is read as NDJSON when it does not parse,
 * or sooner, as soon as its structure shows it (see holdDocument).
 */
async function* readDocument(
  head: Buffer,
  context: ReadContext,
  start: DocumentStart,
): AsyncGenerator<SplitPiece[], void, undefined> {
  const shape = new JsonShapeScanner();
  const held = await holdDocument(head, context, start, shape);
  if (held.isNdjson) {
    yield* readNdjson(held.parts, context);
    return;
  }

  shape.finish();
  const bytes = Buffer.concat(held.parts, held.size);
  if (!isUtf8(bytes)) {
    yield [notUtf8Document(bytes, context.file)];
    return;
  }
  const isMaybeNdjson = start.format === 'documentOrNdjson';
  const records = documentRecords(bytes, shape, context.file, isMaybeNdjson);
  if (records === undefined) {
    yield* readNdjson([bytes], context);
    return;
  }
  for (let index = 0; index < records.length; index += DOCUMENT_BATCH_RECORDS) {
    yield records.slice(index, index + DOCUMENT_BATCH_RECORDS);
  }
}

/**
 * Reads the rest of a document into memory, up to `maxBytes`. A document
 * that may be NDJSON is watched while it comes in: once its structure
 * shows it is not one value, it is either values one after another (the
 * first parses alone, and an object or array follows) or NDJSON whose
 * first line is broken, and then the rest is read as NDJSON at once
 * instead of being held to the end.
 */
async function holdDocument(
  head: Buffer,
  context: ReadContext,
  start: DocumentStart,
  shape: JsonShapeScanner,
): Promise<HeldInput> {
  let isWatched = start.format === 'documentOrNdjson';
  let isCutLineWatched = start.format === 'document' && start.startsWithObject;
  const parts: Buffer[] = [];
  let size = 0;
  let next: Buffer | undefined = head;
  while (next !== undefined) {
    size += next.length;
    if (size > context.maxBytes) throw documentTooLarge(context, start);
    parts.push(next);
    shape.take(next);
    if (isCutLineWatched) {
      const secondLine = secondLineIsObject(parts);
      if (secondLine !== undefined) isCutLineWatched = false;
      if (secondLine) return { isNdjson: true, parts, size };
    }
    if (isWatched && shape.problem !== undefined) {
      if (!isSequenceStart(shape, parts)) {
        return { isNdjson: true, parts, size };
      }
      isWatched = false;
    }
    const step = await context.chunks.next();
    next = step.done ? undefined : step.value;
  }
  return { isNdjson: false, parts, size };
}

/**
 * A document is parsed whole, so one line that is not UTF-8 stops it
 * all: reported at that line, never read with replacement characters.
 */
function notUtf8Document(bytes: Buffer, file: string): RawRecord {
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(LINE_FEED, start);
    const lineEnd = end === -1 ? bytes.length : end + 1;
    const lineBytes = bytes.subarray(start, lineEnd);
    if (!isUtf8(lineBytes) || end === -1) {
      return notUtf8Record(file, line, lineBytes);
    }
    line += 1;
    start = end + 1;
  }
}

/**
 * NDJSON whose first line was cut short (listen or the machine crashed
 * while writing the first record of a capture) looks like a document that
 * opens on line 1 and never closes. Its second line is a JSON object by
 * itself, which the second line of a pretty-printed object never is
 * (`  "call_id": …`). Undefined until the second line has arrived whole.
 */
function secondLineIsObject(parts: Buffer[]): boolean | undefined {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  let start = bytes.indexOf(LINE_FEED) + 1;
  if (start === 0) return undefined;
  for (;;) {
    const end = bytes.indexOf(LINE_FEED, start);
    if (end === -1) return undefined;
    const line = bytes.toString('utf8', start, end).trim();
    if (line !== '') return isJsonObject(line);
    start = end + 1;
  }
}

function isJsonObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** `{"a":1}{"b":2}`: a whole value that parses, then an object or array. */
function isSequenceStart(shape: JsonShapeScanner, parts: Buffer[]): boolean {
  const [first, second] = shape.values;
  if (shape.problem !== 'after' || !first || !second) return false;
  if (second.firstByte !== OPEN_BRACE && second.firstByte !== OPEN_BRACKET) {
    return false;
  }
  const text = Buffer.concat(parts).toString('utf8', first.start, first.end);
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function documentTooLarge(
  context: ReadContext,
  start: DocumentStart,
): AstradialError {
  return new AstradialError(
    'verify.documentTooLarge',
    tooLargeMessage(context, start),
    EXIT_CODES.usage,
  );
}

function tooLargeMessage(context: ReadContext, start: DocumentStart): string {
  const limit = formatByteSize(context.maxBytes);
  const name = context.file === '-' ? 'Standard input' : context.file;
  const line = start.firstLine;
  const noLimit =
    'NDJSON is read line by line and has no size limit (`jq -c` writes it).';
  if (start.format === 'documentOrNdjson') {
    return `${name} starts with a JSON object on line ${line} that is not JSON by itself, so it was read as a JSON document, and that document is larger than the ${limit} limit. If it is NDJSON, line ${line} is not valid JSON: fix or remove it. If it is a document, write the records as NDJSON instead, one JSON object per line: ${noLimit}`;
  }
  if (start.startsWithObject) {
    return `${name} starts with a JSON object that does not end on line ${line}, so it was read as a JSON document (or several, one after another), and that is larger than the ${limit} limit: a document is read whole. Write the records as NDJSON instead, one JSON object per line: ${noLimit}`;
  }
  return `${name} is a JSON document larger than the ${limit} limit, and a document is read whole. Write the records as NDJSON instead, one JSON object per line: ${noLimit}`;
}
