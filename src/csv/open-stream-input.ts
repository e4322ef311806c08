import { assertNotWorkbook } from './assert-not-workbook.js';
import { type CsvEncoding } from './csv-encoding.js';
import { LineCounter } from './decode-chunks.js';
import { detectEncoding } from './detect-encoding.js';
import { readChunks, type ByteSource } from './read-chunks.js';
import { Utf8Validator, type Utf8Problem } from './utf8-validator.js';

/**
 * How much of a stream is held to decide its encoding. A stream cannot be
 * read twice, so this prefix is replayed afterwards; a bad byte further on
 * is caught while decoding and reported with its line.
 */
const PREFIX_BYTES = 1024 * 1024;

/** Opens a stream such as standard input and settles its encoding. */
export async function openStreamInput(
  stream: NodeJS.ReadableStream,
  forced: CsvEncoding | undefined,
  sourceName: string,
): Promise<ByteSource> {
  const chunks = readChunks(stream);
  try {
    const { prefix, isWhole } = await readPrefix(chunks);
    assertNotWorkbook(prefix, sourceName);

    const { encoding, startOffset } = await detectEncoding({
      head: prefix,
      forced,
      sourceName,
      findUtf8Problem: async (start) => checkPrefix(prefix, start, isWhole),
      lineAt: async (offset) => countLines(prefix.subarray(0, offset)),
    });

    const rest = prefix.subarray(startOffset);
    return {
      encoding,
      startOffset,
      chunks: replay(rest, isWhole ? undefined : chunks),
    };
  } catch (error) {
    await chunks.return(undefined);
    throw error;
  }
}

async function readPrefix(
  chunks: AsyncGenerator<Buffer, void, undefined>,
): Promise<{ prefix: Buffer; isWhole: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < PREFIX_BYTES) {
    const step = await chunks.next();
    if (step.done) return { prefix: Buffer.concat(parts), isWhole: true };
    parts.push(step.value);
    size += step.value.length;
  }
  return { prefix: Buffer.concat(parts), isWhole: false };
}

/** A character cut off at the end of the prefix is fine unless it is all. */
function checkPrefix(
  prefix: Buffer,
  start: number,
  isWhole: boolean,
): Utf8Problem | undefined {
  const validator = new Utf8Validator();
  const result = validator.take(prefix.subarray(start));
  const problem =
    'problem' in result
      ? result.problem
      : isWhole
        ? validator.finish()
        : undefined;
  return problem && { ...problem, offset: problem.offset + start };
}

function countLines(bytes: Buffer): number {
  const lines = new LineCounter();
  lines.add(bytes);
  return lines.current();
}

async function* replay(
  prefix: Buffer,
  rest: AsyncGenerator<Buffer, void, undefined> | undefined,
): AsyncGenerator<Buffer, void, undefined> {
  try {
    if (prefix.length > 0) yield prefix;
    if (rest) yield* rest;
  } finally {
    await rest?.return(undefined);
  }
}
