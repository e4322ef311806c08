import { UsageError } from '../errors.js';
import {
  createChunkDecoder,
  DecodeError,
  toEncodingUsageError,
} from './chunk-decoder.js';
import { CSV_DELIMITERS, parseCsvDelimiter } from './csv-delimiter.js';
import { parseCsvEncoding, type CsvEncoding } from './csv-encoding.js';
import { decodeChunks } from './decode-chunks.js';
import { detectDelimiter } from './detect-delimiter.js';
import { openFileInput } from './open-file-input.js';
import { openStreamInput } from './open-stream-input.js';
import {
  RecordParser,
  type CsvRecord,
  type ParseStep,
} from './record-parser.js';

export type { CsvEncoding } from './csv-encoding.js';
export type { CsvRecord } from './record-parser.js';

export interface CsvReadOptions {
  /** Read the input in this encoding instead of detecting it. */
  encoding?: CsvEncoding;
  /** Split cells on this character instead of detecting it. */
  delimiter?: string;
}

export interface CsvSource {
  encoding: CsvEncoding;
  delimiter: string;
  /**
   * True when line 1 was Excel's `sep=;` note of the delimiter: it chose
   * the delimiter (unless one was forced) and is not a record.
   */
  hasSeparatorLine: boolean;
  /** The first non-blank record, cells as written. */
  header: CsvRecord;
  /** Data records in order, blank ones skipped. Can be iterated once. */
  records: AsyncIterable<CsvRecord>;
  /**
   * Blank records skipped so far, including any before the header: those
   * before the last record handed out, and all of them once `records` has
   * been read to the end.
   */
  blankLineCount(): number;
  /**
   * Releases the input when the records will not be read to the end.
   * Finishing or leaving a `for await` over the records does this too.
   */
  close(): Promise<void>;
}

/** Decoded bytes looked at to detect the delimiter: header plus 5 rows. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Opens a CSV file (by path) or stream (such as standard input) and reads
 * its header. Records are parsed as they are iterated, so memory stays flat
 * whatever the size of the input.
 *
 * Throws a UsageError when the input cannot be read, has no header row, or
 * is not valid in its encoding; iterating `records` can throw one too, for
 * a bad byte or an unclosed quote found further on.
 */
export async function openCsv(
  input: string | NodeJS.ReadableStream,
  options: CsvReadOptions = {},
): Promise<CsvSource> {
  const sourceName = typeof input === 'string' ? input : 'standard input';
  const forcedEncoding =
    options.encoding === undefined
      ? undefined
      : parseCsvEncoding(options.encoding);
  const forcedDelimiter =
    options.delimiter === undefined
      ? undefined
      : parseCsvDelimiter(options.delimiter);

  const bytes =
    typeof input === 'string'
      ? await openFileInput(input, forcedEncoding)
      : await openStreamInput(input, forcedEncoding, sourceName);
  const decoder = createChunkDecoder(bytes.encoding, bytes.startOffset);
  const sample = await readSample(decodeChunks(bytes.chunks, decoder));
  const separator = readSeparatorLine(sample.text);
  const delimiter =
    forcedDelimiter ??
    separator?.delimiter ??
    detectDelimiter(sample.text, sample.isWhole);

  const parser = new RecordParser(delimiter, sourceName);
  const blanks: BlankTally = { count: 0 };
  const steps = parseChunks(sample.replay(), parser, sourceName);
  const records = generateRecords(steps, parser, blanks);
  if (separator) await records.next();
  const header = await records.next();
  if (header.done) throw noHeaderError(sourceName);

  return {
    encoding: bytes.encoding,
    delimiter,
    hasSeparatorLine: separator !== undefined,
    header: header.value,
    records,
    blankLineCount: () => blanks.count,
    close: async () => {
      await records.return(undefined);
    },
  };
}

/**
 * Excel's first line `sep=;` (any one character after `=`), which Excel
 * writes for, and obeys in, a locale whose list separator differs. It
 * names the delimiter as Excel will read the file, so it wins over
 * detection; `--delimiter` still wins over it.
 */
const SEPARATOR_LINE = /^\uFEFF?sep=(.)(?:\r\n?|\n)/i;

/**
 * The delimiter a `sep=` first line names. Only those detection knows are
 * taken: the rejects file is written with the input's delimiter and no
 * such line, and must read back the same.
 */
function readSeparatorLine(text: string): { delimiter: string } | undefined {
  const match = SEPARATOR_LINE.exec(text);
  if (!match) return undefined;
  const named = match[1]!;
  if ((CSV_DELIMITERS as readonly string[]).includes(named)) {
    return { delimiter: named };
  }
  throw new UsageError(
    'input.separatorLine',
    `Line 1, "sep=${named}", names ${JSON.stringify(named)} as the delimiter; astradial reads , ; tab and | only. Export the file with one of those.`,
  );
}

type Sample = {
  /** The start of the input as text, for delimiter detection. */
  text: string;
  /** True when `text` is the whole input, so its last line is complete. */
  isWhole: boolean;
  /** All decoded chunks again: the sample first, then the rest. */
  replay(): AsyncGenerator<Buffer, void, undefined>;
};

/**
 * Reads decoded chunks until there is enough to detect the delimiter. A bad
 * byte inside the sample is kept and thrown again by `replay`, after the
 * chunks before it, so the records before it still come out in order.
 */
async function readSample(
  decoded: AsyncGenerator<Buffer, void, undefined>,
): Promise<Sample> {
  const chunks: Buffer[] = [];
  let size = 0;
  let failure: DecodeError | undefined;
  let isWhole = false;
  try {
    while (size < SAMPLE_BYTES) {
      const step = await decoded.next();
      if (step.done) {
        isWhole = true;
        break;
      }
      chunks.push(step.value);
      size += step.value.length;
    }
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    failure = error;
  }

  const textChunks = failure ? [...chunks, failure.decoded] : chunks;
  return {
    text: Buffer.concat(textChunks).toString('utf8'),
    isWhole,
    async *replay() {
      try {
        yield* chunks;
        if (failure) throw failure;
        if (!isWhole) yield* decoded;
      } finally {
        await decoded.return(undefined);
      }
    },
  };
}

/**
 * Counts blank records the way the caller sees them: those before the last
 * record handed out, and all of them once the input is read to the end.
 */
type BlankTally = { count: number };

/**
 * Hands out the records of each parse step. Kept to one plain loop: a
 * `yield*` per record costs more than parsing the record did.
 */
async function* generateRecords(
  steps: AsyncIterable<ParseStep>,
  parser: RecordParser,
  blanks: BlankTally,
): AsyncGenerator<CsvRecord, void, undefined> {
  for await (const { records, blanksBefore, error } of steps) {
    for (let index = 0; index < records.length; index++) {
      blanks.count = blanksBefore[index]!;
      yield records[index]!;
    }
    if (error) throw error;
  }
  blanks.count = parser.blankCount;
}

/**
 * Parses decoded chunks, one step per chunk. When the decoder finds a bad
 * byte, the complete lines before it are still parsed, then the error is
 * thrown with the line it is on.
 */
async function* parseChunks(
  chunks: AsyncIterable<Buffer>,
  parser: RecordParser,
  sourceName: string,
): AsyncGenerator<ParseStep, void, undefined> {
  try {
    for await (const chunk of chunks) yield parser.parse(chunk);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const lines = error.decoded.subarray(0, endOfLastLine(error.decoded));
    yield parser.parse(lines);
    yield parser.finishEarly();
    throw toEncodingUsageError(error, sourceName);
  }
  yield parser.finish();
}

function endOfLastLine(bytes: Buffer): number {
  return Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d)) + 1;
}

function noHeaderError(sourceName: string): UsageError {
  return new UsageError(
    'input.empty',
    `${sourceName} has no header row: it is empty or holds only blank lines. Export the sheet again with the column names on its first line.`,
  );
}
