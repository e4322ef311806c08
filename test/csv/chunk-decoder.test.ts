import { describe, expect, test } from 'vitest';

import {
  createChunkDecoder,
  DecodeError,
} from '../../src/csv/chunk-decoder.js';
import { type CsvEncoding } from '../../src/csv/csv-encoding.js';
import { decodeChunks, LineCounter } from '../../src/csv/decode-chunks.js';

function decodeAll(encoding: CsvEncoding, chunks: Buffer[]): string {
  const decoder = createChunkDecoder(encoding, 0);
  const parts = chunks.map((chunk) => decoder.decode(chunk));
  parts.push(decoder.end());
  return Buffer.concat(parts).toString('utf8');
}

function catchDecodeError(action: () => unknown): DecodeError {
  try {
    action();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
}

describe('windows-1252', () => {
  test('maps 0x80-0x9F to the characters Excel means', () => {
    const bytes = Buffer.from([0x80, 0x92, 0x93, 0x94, 0x96, 0x97, 0x85, 0x99]);

    expect(decodeAll('windows-1252', [bytes])).toBe('€’“”–—…™');
  });

  test('maps 0xA0-0xFF like Latin-1', () => {
    expect(decodeAll('windows-1252', [Buffer.from([0xe9, 0xfc, 0xa0])])).toBe(
      'éü\u00A0',
    );
  });

  test('refuses a byte it does not define, with its offset', () => {
    const decoder = createChunkDecoder('windows-1252', 0);
    decoder.decode(Buffer.from('ab\r\n'));

    const error = catchDecodeError(() =>
      decoder.decode(Buffer.from([0x63, 0x8d, 0x64])),
    );

    expect(error.offset).toBe(5);
    expect(error.found).toBe('byte 0x8D');
    expect(error.decoded).toEqual(Buffer.from('c'));
  });
});

describe('utf-16', () => {
  const TEXT = 'a\t€\r\n😀\tअ\r\n';

  test.each(['utf-16le', 'utf-16be'] as const)(
    '%s decodes the same split at every byte',
    (encoding) => {
      const bytes = Buffer.from(TEXT, 'utf16le');
      if (encoding === 'utf-16be') bytes.swap16();
      for (let cut = 0; cut <= bytes.length; cut++) {
        const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)];
        expect(decodeAll(encoding, chunks), `cut at ${cut}`).toBe(TEXT);
      }
    },
  );

  test('refuses an unpaired surrogate instead of writing U+FFFD', () => {
    const bytes = Buffer.concat([
      Buffer.from('ab', 'utf16le'),
      Buffer.from([0x3d, 0xd8]),
      Buffer.from('c', 'utf16le'),
    ]);

    const error = catchDecodeError(() => decodeAll('utf-16le', [bytes]));

    expect(error.offset).toBe(4);
    expect(error.found).toBe('an unpaired surrogate U+D83D');
    expect(error.decoded.toString()).toBe('ab');
  });

  test('refuses an odd byte at the end of the input', () => {
    const error = catchDecodeError(() =>
      decodeAll('utf-16le', [Buffer.from([0x61, 0x00, 0x62])]),
    );

    expect(error.offset).toBe(2);
  });
});

describe('utf-8', () => {
  test('passes valid bytes through and offsets errors by the BOM', () => {
    const decoder = createChunkDecoder('utf-8', 3);
    expect(decoder.decode(Buffer.from('ok\n'))).toEqual(Buffer.from('ok\n'));

    const error = catchDecodeError(() => decoder.decode(Buffer.from([0x92])));

    expect(error.offset).toBe(6);
    expect(error.found).toBe('byte 0x92');
  });
});

describe('decodeChunks', () => {
  test('sets the line of a bad byte from all chunks before it', async () => {
    async function* chunks() {
      yield Buffer.from('a\r\nb\r\n');
      yield Buffer.from('c\r\nd\x92\r\n', 'latin1');
    }
    const decoded: Buffer[] = [];

    const error = await (async () => {
      for await (const chunk of decodeChunks(
        chunks(),
        createChunkDecoder('utf-8', 0),
      )) {
        decoded.push(chunk);
      }
    })().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).line).toBe(4);
    expect(Buffer.concat(decoded).toString()).toBe('a\r\nb\r\n');
  });
});

describe('LineCounter', () => {
  test.each([
    ['LF', 'a\nb\nc', 3],
    ['CRLF', 'a\r\nb\r\nc', 3],
    ['CR only', 'a\rb\rc', 3],
    ['nothing', 'abc', 1],
  ])('counts %s line ends', (_name, text, line) => {
    const lines = new LineCounter();
    lines.add(Buffer.from(text));

    expect(lines.current()).toBe(line);
  });
});
