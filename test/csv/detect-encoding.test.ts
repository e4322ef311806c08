import { describe, expect, test } from 'vitest';

import {
  detectBom,
  detectEncoding,
  detectUtf16WithoutBom,
  type EncodingProbe,
} from '../../src/csv/detect-encoding.js';
import { UsageError } from '../../src/errors.js';
import { type Utf8Problem } from '../../src/csv/utf8-validator.js';

function probe(
  head: Buffer,
  problem?: Partial<Utf8Problem>,
  forced?: EncodingProbe['forced'],
): EncodingProbe & { checkedFrom: number[] } {
  const checkedFrom: number[] = [];
  return {
    head,
    forced,
    sourceName: 'leads.csv',
    checkedFrom,
    async findUtf8Problem(start) {
      checkedFrom.push(start);
      if (!problem) return undefined;
      return {
        offset: 10,
        byte: 0x92,
        validBytes: Buffer.alloc(0),
        hasUtf8Before: false,
        ...problem,
      };
    },
    async lineAt() {
      return 7;
    },
  };
}

describe('detectBom', () => {
  test.each([
    [[0xef, 0xbb, 0xbf, 0x61], { encoding: 'utf-8', length: 3 }],
    [[0xff, 0xfe, 0x61, 0x00], { encoding: 'utf-16le', length: 2 }],
    [[0xfe, 0xff, 0x00, 0x61], { encoding: 'utf-16be', length: 2 }],
    [[0x61, 0x62, 0x63], undefined],
    [[0xef, 0xbb], undefined],
    [[], undefined],
  ])('of %j', (bytes, expected) => {
    expect(detectBom(Buffer.from(bytes))).toEqual(expected);
  });
});

describe('detectUtf16WithoutBom', () => {
  test('recognises little and big endian ASCII text', () => {
    const little = Buffer.from('name,city\r\n', 'utf16le');
    const big = Buffer.from(little).swap16();

    expect(detectUtf16WithoutBom(little)).toBe('utf-16le');
    expect(detectUtf16WithoutBom(big)).toBe('utf-16be');
  });

  test('leaves UTF-8 and Windows-1252 alone', () => {
    expect(detectUtf16WithoutBom(Buffer.from('name,city\r\nJosé,Pune'))).toBe(
      undefined,
    );
    expect(detectUtf16WithoutBom(Buffer.from([0x61, 0x92, 0x62, 0x63]))).toBe(
      undefined,
    );
  });
});

describe('detectEncoding', () => {
  test('valid UTF-8 without a BOM is UTF-8', async () => {
    const input = probe(Buffer.from('a,b\n'));

    expect(await detectEncoding(input)).toEqual({
      encoding: 'utf-8',
      startOffset: 0,
    });
    expect(input.checkedFrom).toEqual([0]);
  });

  test('bytes that are not UTF-8, after ASCII only, are Windows-1252', async () => {
    expect(await detectEncoding(probe(Buffer.from('a,b\n'), {}))).toEqual({
      encoding: 'windows-1252',
      startOffset: 0,
    });
  });

  test('a UTF-8 BOM is skipped and the rest still checked', async () => {
    const input = probe(Buffer.from('\uFEFFa,b\n'));

    expect(await detectEncoding(input)).toEqual({
      encoding: 'utf-8',
      startOffset: 3,
    });
    expect(input.checkedFrom).toEqual([3]);
  });

  test('a UTF-8 BOM over bytes that are not UTF-8 is an error with the line', async () => {
    const error = await detectEncoding(
      probe(Buffer.from('\uFEFFa,b\n'), { offset: 40 }),
    ).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('input.invalidEncoding');
    expect((error as UsageError).message).toMatch(
      /^Line 7 of leads\.csv is not valid UTF-8 \(byte 0x92 at byte 40\)/,
    );
  });

  test('a UTF-16 BOM needs no UTF-8 check', async () => {
    const input = probe(Buffer.from([0xff, 0xfe, 0x61, 0x00]));

    expect(await detectEncoding(input)).toEqual({
      encoding: 'utf-16le',
      startOffset: 2,
    });
    expect(input.checkedFrom).toEqual([]);
  });

  test('a forced Windows-1252 is taken as is', async () => {
    const input = probe(Buffer.from('a,b\n'), undefined, 'windows-1252');

    expect((await detectEncoding(input)).encoding).toBe('windows-1252');
    expect(input.checkedFrom).toEqual([]);
  });
});
