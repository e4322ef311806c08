import { UsageError } from '../errors.js';
import {
  DecodeError,
  describeByte,
  toEncodingUsageError,
} from './chunk-decoder.js';
import { type CsvEncoding } from './csv-encoding.js';
import { type Utf8Problem } from './utf8-validator.js';

export type ByteOrderMark = { encoding: CsvEncoding; length: number };

/** What encoding detection needs to know about one input. */
export interface EncodingProbe {
  /** The first bytes of the input: a few KiB are plenty. */
  head: Buffer;
  /** The encoding the user asked for, if any. */
  forced?: CsvEncoding | undefined;
  sourceName: string;
  /** Checks the bytes from `start` on, as far as the input allows. */
  findUtf8Problem(start: number): Promise<Utf8Problem | undefined>;
  /** The physical line of a byte offset, for error messages. */
  lineAt(offset: number): Promise<number>;
}

export type DetectedEncoding = {
  encoding: CsvEncoding;
  /** Length of the byte order mark to skip, or 0. */
  startOffset: number;
};

/**
 * Decides how to decode an input. A byte order mark wins; then a UTF-16 file
 * without one is recognised by its NUL bytes; then bytes that are valid
 * UTF-8 are UTF-8 and anything else is Windows-1252, the encoding of Excel's
 * plain "CSV" on Windows. Input meant as UTF-8 (forced, or by its BOM) is
 * checked here too, so bad bytes fail before any record is read.
 */
export async function detectEncoding(
  probe: EncodingProbe,
): Promise<DetectedEncoding> {
  const bom = detectBom(probe.head);
  const startOffset = bom?.length ?? 0;
  if (probe.forced) assertBomMatches(probe.forced, bom, probe.sourceName);

  const declared =
    probe.forced ?? bom?.encoding ?? detectUtf16WithoutBom(probe.head);
  if (declared && declared !== 'utf-8') {
    return { encoding: declared, startOffset };
  }

  const problem = await probe.findUtf8Problem(startOffset);
  if (!problem) return { encoding: 'utf-8', startOffset };

  const line = await probe.lineAt(problem.offset);
  if (declared === 'utf-8') {
    throw invalidUtf8Error(problem, line, probe.sourceName);
  }
  if (problem.hasUtf8Before) {
    throw mixedEncodingError(problem, line, probe.sourceName);
  }
  return { encoding: 'windows-1252', startOffset };
}

export function detectBom(head: Buffer): ByteOrderMark | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    return { encoding: 'utf-16le', length: 2 };
  }
  if (head[0] === 0xfe && head[1] === 0xff) {
    return { encoding: 'utf-16be', length: 2 };
  }
  return undefined;
}

/**
 * Excel always writes a BOM in "Unicode Text", but other tools may not. Such
 * a file is valid UTF-8 full of NUL bytes, and read as UTF-8 every header
 * would silently match nothing. Text that is mostly ASCII has a NUL in every
 * other byte: the odd ones for little endian, the even ones for big endian.
 */
export function detectUtf16WithoutBom(head: Buffer): CsvEncoding | undefined {
  const pairs = Math.floor(Math.min(head.length, 1024) / 2);
  if (pairs < 2) return undefined;

  let evenNuls = 0;
  let oddNuls = 0;
  for (let index = 0; index < pairs * 2; index += 2) {
    if (head[index] === 0) evenNuls += 1;
    if (head[index + 1] === 0) oddNuls += 1;
  }
  if (oddNuls >= pairs / 2 && evenNuls <= pairs / 10) return 'utf-16le';
  if (evenNuls >= pairs / 2 && oddNuls <= pairs / 10) return 'utf-16be';
  return undefined;
}

function assertBomMatches(
  forced: CsvEncoding,
  bom: ByteOrderMark | undefined,
  sourceName: string,
): void {
  if (!bom || bom.encoding === forced) return;
  throw new UsageError(
    'input.encodingMismatch',
    `${sourceName} starts with a ${bom.encoding.toUpperCase()} byte order mark, but --encoding ${forced} was given. Leave out --encoding to read it as ${bom.encoding}.`,
  );
}

function invalidUtf8Error(
  problem: Utf8Problem,
  line: number,
  sourceName: string,
): UsageError {
  const error = new DecodeError(
    'utf-8',
    problem.offset,
    describeByte(problem.byte),
    problem.validBytes,
  );
  error.line = line;
  return toEncodingUsageError(error, sourceName);
}

/**
 * Valid UTF-8 letters before a byte that is not: most likely a UTF-8 file
 * with a damaged spot. Reading all of it as Windows-1252 would garble every
 * earlier name (`Ã©` for `é`) without a word, so ask instead.
 */
function mixedEncodingError(
  problem: Utf8Problem,
  line: number,
  sourceName: string,
): UsageError {
  return new UsageError(
    'input.mixedEncoding',
    `${sourceName} mixes encodings: it has UTF-8 text before line ${line}, but line ${line} is not valid UTF-8 (${describeByte(problem.byte)} at byte ${problem.offset}). Save it from Excel as "CSV UTF-8" and try again, or pass --encoding windows-1252 if the whole file really is Windows-1252.`,
  );
}
