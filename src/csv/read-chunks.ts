import { type CsvEncoding } from './csv-encoding.js';

/**
 * Byte chunks of an input, after any byte order mark, and how to decode
 * them. Iterating to the end, or stopping early, closes the input.
 */
export type ByteSource = {
  encoding: CsvEncoding;
  /** Where `chunks` starts in the input: the length of the BOM, or 0. */
  startOffset: number;
  chunks: AsyncGenerator<Buffer, void, undefined>;
};

/**
 * Yields a stream's chunks as Buffers. A stream with an encoding set gives
 * strings, and a web-style source gives Uint8Arrays; both are turned back
 * into bytes so that detection sees what the file holds.
 */
export async function* readChunks(
  stream: AsyncIterable<unknown>,
): AsyncGenerator<Buffer, void, undefined> {
  for await (const chunk of stream) yield toBuffer(chunk);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  throw new TypeError(
    `Expected bytes from the input stream, got ${typeof chunk}`,
  );
}
