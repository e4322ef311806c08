import { isAscii, isUtf8 } from 'node:buffer';

const EMPTY = Buffer.alloc(0);

/** Where a byte sequence stops being UTF-8, counted from the stream start. */
export type Utf8Problem = {
  /** Offset of the first byte of the bad sequence. */
  offset: number;
  /** That byte, for the error message (0x92 is a Windows-1252 quote). */
  byte: number | undefined;
  /** The valid bytes of the chunk before the bad sequence. */
  validBytes: Buffer;
  /** True when some earlier byte was non-ASCII yet valid UTF-8. */
  hasUtf8Before: boolean;
};

/**
 * Checks a byte stream chunk by chunk with node:buffer's `isUtf8`, which is
 * fast enough to run over a whole file before parsing it. A character split
 * across two chunks is held back and checked with the next chunk, since
 * `isUtf8` would reject either half on its own.
 */
export class Utf8Validator {
  #heldBack: Buffer = EMPTY;
  #offset = 0;
  #hasNonAscii = false;

  /**
   * Returns the bytes that end on a character boundary (the held-back bytes
   * of the last chunk first), or the problem found in them.
   */
  take(chunk: Buffer): { bytes: Buffer } | { problem: Utf8Problem } {
    const data =
      this.#heldBack.length === 0
        ? chunk
        : Buffer.concat([this.#heldBack, chunk]);
    const end = completeUtf8Length(data);
    const bytes = data.subarray(0, end);
    if (!isUtf8(bytes)) return { problem: this.#describe(bytes) };

    this.#hasNonAscii ||= !isAscii(bytes);
    this.#heldBack =
      end === data.length ? EMPTY : Buffer.from(data.subarray(end));
    this.#offset += end;
    return { bytes };
  }

  /** Reports a character cut off by the end of the input, if any. */
  finish(): Utf8Problem | undefined {
    if (this.#heldBack.length === 0) return undefined;
    return {
      offset: this.#offset,
      byte: this.#heldBack[0],
      validBytes: EMPTY,
      hasUtf8Before: this.#hasNonAscii,
    };
  }

  #describe(bytes: Buffer): Utf8Problem {
    const index = findInvalidUtf8Index(bytes);
    const validBytes = bytes.subarray(0, index);
    return {
      offset: this.#offset + index,
      byte: bytes[index],
      validBytes,
      hasUtf8Before: this.#hasNonAscii || !isAscii(validBytes),
    };
  }
}

/**
 * Length of `bytes` without a multi-byte character cut off at the end: walks
 * back over continuation bytes (10xxxxxx) to the lead byte and checks whether
 * the whole sequence it announces is there.
 */
export function completeUtf8Length(bytes: Buffer): number {
  const length = bytes.length;
  const stop = Math.max(0, length - 4);
  for (let index = length - 1; index >= stop; index--) {
    const byte = bytes[index]!;
    if ((byte & 0xc0) === 0x80) continue;
    return index + sequenceLength(byte) > length ? index : length;
  }
  return length;
}

function sequenceLength(leadByte: number): number {
  if (leadByte >= 0xf0) return 4;
  if (leadByte >= 0xe0) return 3;
  if (leadByte >= 0xc0) return 2;
  return 1;
}

/**
 * Index of the first byte of the first invalid sequence in `bytes`, which
 * must be invalid. Only runs on the error path: a binary search for the
 * longest prefix that `isUtf8` accepts keeps it simple and still quick.
 */
export function findInvalidUtf8Index(bytes: Buffer): number {
  let valid = 0;
  let invalid = bytes.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    const prefix = bytes.subarray(0, middle);
    if (isUtf8(prefix.subarray(0, completeUtf8Length(prefix)))) valid = middle;
    else invalid = middle;
  }
  return completeUtf8Length(bytes.subarray(0, valid));
}
