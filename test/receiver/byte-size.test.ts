import { describe, expect, test } from 'vitest';

import { parseByteSize } from '../../src/receiver/byte-size.js';

describe('parseByteSize', () => {
  test.each([
    ['1mb', 1_048_576],
    ['512kb', 524_288],
    ['1.5MB', 1_572_864],
    ['2048', 2048],
    ['100 b', 100],
    ['100mb', 104_857_600],
  ])('%s is %i bytes', (text, bytes) => {
    expect(parseByteSize(text, '--max-body')).toBe(bytes);
  });

  test.each([
    '',
    '0',
    'huge',
    '1gb',
    '1MiB',
    '1k',
    '-1kb',
    '101mb',
    '99999999999999999999',
  ])('"%s" is refused, naming the flag, the units and the range', (text) => {
    expect(() => parseByteSize(text, '--max-body')).toThrow(
      `--max-body "${text}" is not a size from 1 byte to 100mb. Write a number of bytes, or a number followed by b, kb or mb (1kb = 1024 bytes), e.g. 512kb or 1.5mb.`,
    );
  });
});
