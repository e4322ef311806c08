import { describe, expect, test } from 'vitest';

import {
  MAX_JSON_DEPTH,
  readJsonBody,
} from '../../src/webhook/request-checks.js';

function nested(depth: number): Buffer {
  return Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

describe('readJsonBody: nesting', () => {
  test(`arrays nested ${MAX_JSON_DEPTH} deep are read`, () => {
    expect(readJsonBody(nested(MAX_JSON_DEPTH))).toMatchObject({
      isJson: true,
    });
  });

  test('one level deeper, or 6,000 levels, is refused before parsing', () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 6000]) {
      expect(readJsonBody(nested(depth))).toEqual({
        isJson: false,
        problem: `holds JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
  });

  test('brackets inside strings, after escaped quotes too, do not count', () => {
    const text = JSON.stringify({ note: `\\"${'[{'.repeat(4000)}` });

    expect(readJsonBody(Buffer.from(text))).toEqual({
      isJson: true,
      value: JSON.parse(text),
      text,
    });
  });
});

describe('readJsonBody: UTF-8', () => {
  test.each([
    ['FF FE C3 inside a string', [0xff, 0xfe, 0xc3], 9],
    ['an overlong C0 AF', [0xc0, 0xaf], 9],
    ['a character cut off', [0xe2, 0x82], 9],
  ])('%s is refused with the offset of the first bad byte', (_, bytes, at) => {
    const body = Buffer.concat([
      Buffer.from('{"note":"'),
      Buffer.from(bytes),
      Buffer.from('"}'),
    ]);

    expect(readJsonBody(body)).toEqual({
      isJson: false,
      problem: `is not valid UTF-8 (first bad byte at offset ${at})`,
    });
  });

  test('valid UTF-8 after a byte order mark is read without the mark', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"name":"Ásha ₹"}'),
    ]);

    expect(readJsonBody(body)).toEqual({
      isJson: true,
      value: { name: 'Ásha ₹' },
      text: '{"name":"Ásha ₹"}',
    });
  });

  test('malformed JSON says so', () => {
    expect(readJsonBody(Buffer.from('{"a":'))).toEqual({
      isJson: false,
      problem: 'is not valid JSON',
    });
  });
});
