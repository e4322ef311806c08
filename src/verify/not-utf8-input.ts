import path from 'node:path';

import { AstradialError, EXIT_CODES } from '../errors.js';

/**
 * What an input is when it is not UTF-8 text: UTF-16 with a byte order
 * mark (`utf16`) or without one, in either byte order; or gzip.
 */
export type NotUtf8Input = 'utf16' | 'utf16le' | 'utf16be' | 'gzip';

/** This many bytes from the start are enough to tell. */
export const NOT_UTF8_SAMPLE_BYTES = 64;
const GZIP_MAGIC = [0x1f, 0x8b];
const UTF16_BYTE_ORDER_MARKS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
];
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

type Utf16Kind = Exclude<NotUtf8Input, 'gzip'>;
/**
 * iconv's names. Without a byte order mark, its UTF-16 guesses the byte
 * order (big-endian), so the order the bytes showed is named instead.
 */
const UTF16_KINDS: Record<Utf16Kind, { encoding: string; detail: string }> = {
  utf16: { encoding: 'UTF-16', detail: '' },
  utf16le: {
    encoding: 'UTF-16LE',
    detail: ' (little-endian, without a byte order mark)',
  },
  utf16be: {
    encoding: 'UTF-16BE',
    detail: ' (big-endian, without a byte order mark)',
  },
};

/**
 * Tells, from an input's first bytes, whether it is UTF-16 or gzip rather
 * than UTF-8: read as UTF-8, either gives a screen of errors about lines
 * that are not the problem. UTF-16 without a byte order mark shows as a
 * NUL in every other byte, since JSON's structure is ASCII; UTF-8 text
 * holds no NUL, which JSON does not allow outside an escape.
 */
export function detectNotUtf8Input(sample: Buffer): NotUtf8Input | undefined {
  if (startsWith(sample, GZIP_MAGIC)) return 'gzip';
  if (UTF16_BYTE_ORDER_MARKS.some((mark) => startsWith(sample, mark))) {
    return 'utf16';
  }
  if (hasNulInEveryOtherByte(sample, 1)) return 'utf16le';
  if (hasNulInEveryOtherByte(sample, 0)) return 'utf16be';
  return undefined;
}

/**
 * The `verify.notUtf8Input` error for an input `detectNotUtf8Input`
 * recognised, saying how to turn it into what verify reads.
 */
export function notUtf8InputError(
  name: string,
  kind: NotUtf8Input,
): AstradialError {
  const message =
    kind === 'gzip' ? gzipMessage(name) : utf16Message(name, kind);
  return new AstradialError('verify.notUtf8Input', message, EXIT_CODES.usage);
}

function startsWith(sample: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, index) => sample[index] === byte);
}

/** NUL at every index of `parity`, and something else at the others. */
function hasNulInEveryOtherByte(sample: Buffer, parity: 0 | 1): boolean {
  if (sample.length < 2) return false;
  let hasText = false;
  for (let index = 0; index < sample.length; index++) {
    const isNul = sample[index] === 0;
    if (index % 2 === parity) {
      if (!isNul) return false;
    } else if (!isNul) {
      hasText = true;
    }
  }
  return hasText;
}

function utf16Message(name: string, kind: Utf16Kind): string {
  const { encoding, detail } = UTF16_KINDS[kind];
  const convert = `iconv -f ${encoding} -t UTF-8`;
  if (name === '-') {
    return `Standard input is UTF-16 text${detail}, but verify reads UTF-8. Convert it on the way in: … | ${convert} | astradial verify -`;
  }
  return `${name} is UTF-16 text${detail}, but verify reads UTF-8. Convert it with ${convert} ${shellWord(name)} > ${shellWord(utf8Name(name))}, or open it in your editor and save it as UTF-8.`;
}

function gzipMessage(name: string): string {
  if (name === '-') {
    return 'Standard input is gzip-compressed. Decompress it on the way in: … | gunzip -c | astradial verify -';
  }
  return `${name} is gzip-compressed. Decompress it on the way in: gunzip -c ${shellWord(name)} | astradial verify -`;
}

/** `calls.json` becomes `calls-utf8.json`, next to it. */
function utf8Name(name: string): string {
  const extension = path.extname(name);
  return `${name.slice(0, name.length - extension.length)}-utf8${extension}`;
}

/** The name as a shell word a user can paste, quoted when it needs it. */
function shellWord(name: string): string {
  if (SHELL_SAFE.test(name)) return name;
  return `'${name.replaceAll("'", `'\\''`)}'`;
}
