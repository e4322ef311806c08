import { AstradialError, EXIT_CODES } from '../errors.js';
import { documentRecords } from './document-records.js';
import { formatByteSize } from './format-byte-size.js';
import { JsonShapeScanner } from './json-shape-scanner.js';
import { NdjsonSplitter, type SplitPiece } from './ndjson-splitter.js';
import { parseLineRun } from './parse-line-run.js';
import type { RawRecord } from './raw-record.js';
import { readInputChunks } from './read-input-chunks.js';
import type { VerifyInput } from './resolve-inputs.js';
import { sniffFormat } from './sniff-format.js';

export type { RawRecord } from './raw-record.js';
export type { SplitPiece } from './ndjson-splitter.js';

/**
 * 256 MiB. A JSON document is parsed whole, so this bounds the memory one
 * input can take; NDJSON is read line by line and only its lines are held.
 */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** A parsed document is handed over in batches this size, like NDJSON's. */
const DOCUMENT_BATCH_RECORDS = 1000;
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
 * - A document, one value spread over lines or an array, is read whole:
 *   an array gives a record per element, with its index.
 *
 * Input that starts with `[` is a document. Input that starts with `{`
 * is NDJSON when its first line parses alone, else a document; if that
 * document does not parse either, it is read as NDJSON after all, so the
 * broken line is reported with its number. Anything else is NDJSON. A
 * UTF-8 BOM at the start is skipped; line numbers count physical lines.
 *
 * Throws `verify.inputUnreadable` when the input cannot be opened or read,
 * and `verify.documentTooLarge` for a document over `maxRecordBytes`.
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
    const { format, head, firstLine } = await sniffFormat(chunks, maxBytes);
    if (format === 'ndjson') {
      yield* readNdjson([head], context);
    } else {
      yield* readDocument(head, context, { format, firstLine });
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

type DocumentStart = {
  format: 'document' | 'documentOrNdjson';
  firstLine: number;
};

/**
 * Reads a document whole, then parses it. While it comes in, a document
 * that may be NDJSON after all is watched: once its structure shows it
 * cannot be one value (say a second object after the first closed), the
 * rest is read as NDJSON at once instead of being held to the end.
 */
async function* readDocument(
  head: Buffer,
  context: ReadContext,
  start: DocumentStart,
): AsyncGenerator<SplitPiece[], void, undefined> {
  const isMaybeNdjson = start.format === 'documentOrNdjson';
  const shape = new JsonShapeScanner();
  const parts: Buffer[] = [];
  let size = 0;
  let next: Buffer | undefined = head;
  while (next !== undefined) {
    size += next.length;
    if (size > context.maxBytes) throw documentTooLarge(context, start);
    parts.push(next);
    shape.take(next);
    if (isMaybeNdjson && shape.problem !== undefined) {
      yield* readNdjson(parts, context);
      return;
    }
    const step = await context.chunks.next();
    next = step.done ? undefined : step.value;
  }

  shape.finish();
  const bytes = Buffer.concat(parts, size);
  const records = documentRecords(bytes, shape, context.file);
  if (records === undefined) {
    yield* readNdjson([bytes], context);
    return;
  }
  for (let index = 0; index < records.length; index += DOCUMENT_BATCH_RECORDS) {
    yield records.slice(index, index + DOCUMENT_BATCH_RECORDS);
  }
}

function documentTooLarge(
  context: ReadContext,
  start: DocumentStart,
): AstradialError {
  const limit = formatByteSize(context.maxBytes);
  const name = context.file === '-' ? 'Standard input' : context.file;
  const message =
    start.format === 'document'
      ? `${name} is a JSON document larger than the ${limit} limit, and a document is read whole. Write the records as NDJSON instead, one JSON object per line: NDJSON is read line by line, at any size.`
      : `${name} starts with a JSON object that does not end on line ${start.firstLine}, so it was read as one JSON document, and that document is larger than the ${limit} limit. If it is NDJSON, line ${start.firstLine} is not complete JSON: fix or remove it. If it is one document, write the records as NDJSON instead, one JSON object per line.`;
  return new AstradialError(
    'verify.documentTooLarge',
    message,
    EXIT_CODES.usage,
  );
}
