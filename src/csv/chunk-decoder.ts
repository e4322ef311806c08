import iconv from 'iconv-lite';

import { UsageError } from '../errors.js';
import { type CsvEncoding } from './csv-encoding.js';
import { Utf8Validator } from './utf8-validator.js';

const EMPTY = Buffer.alloc(0);

/**
 * Turns chunks of the input into UTF-8 bytes, the form csv-parse reads
 * fastest. Never replaces a bad sequence with U+FFFD: it throws a
 * DecodeError instead, so no lead is ever sent with a mangled name.
 */
export interface ChunkDecoder {
  decode(chunk: Buffer): Buffer;
  /** Flushes the end of the input; throws if it stops mid-character. */
  end(): Buffer;
}

/** Bytes that are not valid in the encoding being read. */
export class DecodeError extends Error {
  /** Physical line of the bad bytes; filled in by `decodeChunks`. */
  line = 0;

  constructor(
    readonly encoding: CsvEncoding,
    /** Byte offset of the problem from the start of the input. */
    readonly offset: number,
    /** What was found, such as `byte 0x92`. */
    readonly found: string,
    /** The valid UTF-8 output of the current chunk before the problem. */
    readonly decoded: Buffer,
  ) {
    super(`Invalid ${encoding}: ${found} at byte ${offset}`);
    this.name = 'DecodeError';
  }
}

/**
 * Creates a decoder for one input. `startOffset` is where the chunks begin
 * in the input (after a byte order mark), so errors report true offsets.
 */
export function createChunkDecoder(
  encoding: CsvEncoding,
  startOffset: number,
): ChunkDecoder {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Decoder(startOffset);
    case 'windows-1252':
      return new Windows1252Decoder(startOffset);
    case 'utf-16le':
    case 'utf-16be':
      return new Utf16Decoder(encoding, startOffset);
  }
}

/** Turns a DecodeError into a message that says what to do about it. */
export function toEncodingUsageError(
  error: DecodeError,
  sourceName: string,
): UsageError {
  const where = `Line ${error.line} of ${sourceName}`;
  const found = `${error.found} at byte ${error.offset}`;
  const message =
    error.encoding === 'utf-8'
      ? `${where} is not valid UTF-8 (${found}). The file is probably Windows-1252, the encoding of Excel's plain "CSV" format: pass --encoding windows-1252, or save it from Excel as "CSV UTF-8" and try again.`
      : error.encoding === 'windows-1252'
        ? `${where} has ${found}, which Windows-1252 does not define, so the file is in some other encoding. Save it from Excel as "CSV UTF-8" and try again.`
        : `${where} is not valid ${error.encoding.toUpperCase()} (${found}). Save it from Excel as "CSV UTF-8" and try again.`;
  return new UsageError('input.invalidEncoding', message, { cause: error });
}

class Utf8Decoder implements ChunkDecoder {
  readonly #validator = new Utf8Validator();
  readonly #startOffset: number;

  constructor(startOffset: number) {
    this.#startOffset = startOffset;
  }

  decode(chunk: Buffer): Buffer {
    const result = this.#validator.take(chunk);
    if ('bytes' in result) return result.bytes;

    const { offset, byte, validBytes } = result.problem;
    throw new DecodeError(
      'utf-8',
      this.#startOffset + offset,
      describeByte(byte),
      validBytes,
    );
  }

  end(): Buffer {
    const problem = this.#validator.finish();
    if (!problem) return EMPTY;
    throw new DecodeError(
      'utf-8',
      this.#startOffset + problem.offset,
      `${describeByte(problem.byte)} starting a character that the input cuts off`,
      EMPTY,
    );
  }
}

/**
 * Node 20's TextDecoder('windows-1252') and the `latin1` encoding both turn
 * 0x80 into U+0080 instead of the euro sign
 * (https://github.com/nodejs/node/issues/60888); iconv-lite maps it right.
 * iconv-lite gives U+FFFD for the five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D), which is how those are caught.
 */
class Windows1252Decoder implements ChunkDecoder {
  #offset: number;

  constructor(startOffset: number) {
    this.#offset = startOffset;
  }

  decode(chunk: Buffer): Buffer {
    const text = iconv.decode(chunk, 'windows1252');
    // One byte is one UTF-16 unit in this encoding, so indexes match.
    const index = text.indexOf('\uFFFD');
    if (index !== -1) {
      throw new DecodeError(
        'windows-1252',
        this.#offset + index,
        describeByte(chunk[index]),
        Buffer.from(text.slice(0, index), 'utf8'),
      );
    }
    this.#offset += chunk.length;
    return Buffer.from(text, 'utf8');
  }

  end(): Buffer {
    return EMPTY;
  }
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Decodes with Buffer's `utf16le` (swapping byte pairs first for big
 * endian). That decoder lets unpaired surrogates through and Buffer.from
 * would then write them as U+FFFD, so they are looked for explicitly. An odd
 * byte or a high surrogate at the end of a chunk waits for the next one.
 */
class Utf16Decoder implements ChunkDecoder {
  readonly #encoding: 'utf-16le' | 'utf-16be';
  #heldBack: Buffer = EMPTY;
  #offset: number;

  constructor(encoding: 'utf-16le' | 'utf-16be', startOffset: number) {
    this.#encoding = encoding;
    this.#offset = startOffset;
  }

  decode(chunk: Buffer): Buffer {
    const data =
      this.#heldBack.length === 0
        ? chunk
        : Buffer.concat([this.#heldBack, chunk]);
    const end = this.#completeLength(data);
    const text = this.#toText(data.subarray(0, end));

    const match = LONE_SURROGATE.exec(text);
    if (match) {
      const unit = text.charCodeAt(match.index);
      throw new DecodeError(
        this.#encoding,
        this.#offset + match.index * 2,
        `an unpaired surrogate U+${unit.toString(16).toUpperCase()}`,
        Buffer.from(text.slice(0, match.index), 'utf8'),
      );
    }

    this.#heldBack = Buffer.from(data.subarray(end));
    this.#offset += end;
    return Buffer.from(text, 'utf8');
  }

  end(): Buffer {
    if (this.#heldBack.length === 0) return EMPTY;
    throw new DecodeError(
      this.#encoding,
      this.#offset,
      `${this.#heldBack.length} byte(s) of a character that the input cuts off`,
      EMPTY,
    );
  }

  #completeLength(data: Buffer): number {
    const end = data.length - (data.length % 2);
    if (end === 0) return 0;
    const lastUnit =
      this.#encoding === 'utf-16le'
        ? data.readUInt16LE(end - 2)
        : data.readUInt16BE(end - 2);
    const isHighSurrogate = lastUnit >= 0xd800 && lastUnit <= 0xdbff;
    return isHighSurrogate ? end - 2 : end;
  }

  #toText(units: Buffer): string {
    if (this.#encoding === 'utf-16le') return units.toString('utf16le');
    return Buffer.from(units).swap16().toString('utf16le');
  }
}

/** Names a byte the way a hex editor shows it: `byte 0x92`. */
export function describeByte(byte: number | undefined): string {
  if (byte === undefined) return 'the end of the input';
  return `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}
