import { describe, expect, test } from 'vitest';

import {
  completeUtf8Length,
  findInvalidUtf8Index,
  Utf8Validator,
} from '../../src/csv/utf8-validator.js';

const MIXED = Buffer.from('a,é\n€,😀\nअ\n');

describe('Utf8Validator', () => {
  test('accepts valid UTF-8 split at every byte, holding back partial characters', () => {
    for (let cut = 0; cut <= MIXED.length; cut++) {
      const validator = new Utf8Validator();
      const parts = [MIXED.subarray(0, cut), MIXED.subarray(cut)].map(
        (chunk) => {
          const result = validator.take(chunk);
          if (!('bytes' in result)) throw new Error(`rejected at cut ${cut}`);
          return result.bytes;
        },
      );

      expect(validator.finish(), `cut at ${cut}`).toBeUndefined();
      expect(Buffer.concat(parts).toString()).toBe(MIXED.toString());
      // Each part on its own ends on a character boundary.
      for (const part of parts) expect(part.toString()).not.toContain('\uFFFD');
    }
  });

  test('reports the offset and byte of a bad sequence in a later chunk', () => {
    const validator = new Utf8Validator();
    validator.take(Buffer.from('name\nJos\xC3', 'latin1'));

    const result = validator.take(Buffer.from('\xA9\nD\x92Souza\n', 'latin1'));

    expect(result).toEqual({
      problem: {
        offset: 12,
        byte: 0x92,
        validBytes: Buffer.from('é\nD'),
        hasUtf8Before: true,
      },
    });
  });

  test('says whether only ASCII came before the bad byte', () => {
    const result = new Utf8Validator().take(Buffer.from('ab\x80', 'latin1'));

    expect('problem' in result && result.problem.hasUtf8Before).toBe(false);
  });

  test('reports a character cut off by the end of the input', () => {
    const validator = new Utf8Validator();
    validator.take(Buffer.from([0x61, 0xe2, 0x82]));

    expect(validator.finish()).toMatchObject({ offset: 1, byte: 0xe2 });
  });
});

describe('completeUtf8Length', () => {
  test.each([
    [[0x61, 0x62], 2],
    [[0x61, 0xc3], 1],
    [[0x61, 0xc3, 0xa9], 3],
    [[0x61, 0xe2, 0x82], 1],
    [[0xf0, 0x9f, 0x98], 0],
    [[0xf0, 0x9f, 0x98, 0x80], 4],
    [[0x61, 0x92], 2],
  ])('of %j is %i', (bytes, length) => {
    expect(completeUtf8Length(Buffer.from(bytes))).toBe(length);
  });
});

describe('findInvalidUtf8Index', () => {
  test.each([
    ['a stray continuation byte', [0x61, 0x92, 0x62], 1],
    ['a lead byte without its continuation', [0x61, 0xc3, 0x41], 1],
    ['an overlong encoding', [0x61, 0x62, 0xc0, 0xaf], 2],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a byte never used in UTF-8', [0xc3, 0xa9, 0xff], 2],
  ])('finds %s', (_name, bytes, index) => {
    expect(findInvalidUtf8Index(Buffer.from(bytes))).toBe(index);
  });
});
