import { type ChunkDecoder, DecodeError } from './chunk-decoder.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Decodes the input chunk by chunk into UTF-8. On bad bytes it throws the
 * decoder's DecodeError with `line` set to the physical line they are on;
 * lines are counted here, in bulk per chunk, because the parser's own count
 * lags behind the bytes it has been given.
 */
export async function* decodeChunks(
  chunks: AsyncIterable<Buffer>,
  decoder: ChunkDecoder,
): AsyncGenerator<Buffer, void, undefined> {
  const lines = new LineCounter();
  try {
    for await (const chunk of chunks) {
      const decoded = decoder.decode(chunk);
      lines.add(decoded);
      if (decoded.length > 0) yield decoded;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (error instanceof DecodeError) {
      lines.add(error.decoded);
      error.line = lines.current();
    }
    throw error;
  }
}

/**
 * Counts line feeds with Buffer#indexOf, about 20 ms per million lines.
 * Files with old Mac line ends (CR only) have no line feed at all, so
 * carriage returns are counted too until the first line feed turns up.
 */
export class LineCounter {
  #lineFeeds = 0;
  #carriageReturns = 0;

  add(bytes: Buffer): void {
    this.#lineFeeds += countByte(bytes, LINE_FEED);
    if (this.#lineFeeds === 0) {
      this.#carriageReturns += countByte(bytes, CARRIAGE_RETURN);
    }
  }

  /** The 1-based line that the next byte belongs to. */
  current(): number {
    const breaks =
      this.#lineFeeds > 0 ? this.#lineFeeds : this.#carriageReturns;
    return breaks + 1;
  }
}

function countByte(bytes: Buffer, byte: number): number {
  let count = 0;
  let index = bytes.indexOf(byte);
  while (index !== -1) {
    count += 1;
    index = bytes.indexOf(byte, index + 1);
  }
  return count;
}
