import { describe, expect, test } from 'vitest';

import { parseByteSize } from '../../src/receiver/byte-size.js';

describe('parseByteSize', () => {
  test.each([
    ['1mb', 1_048_576],
    ['512kb', 524_288],
    ['1.5MB', 1_572_864],
    ['2048', 2048],
    ['100 b', 100],
  ])('%s is %i bytes', (text, bytes) => {
    expect(parseByteSize(text, '--max-body')).toBe(bytes);
  });

  test.each(['', '0', 'huge', '1gb', '-1kb'])('"%s" is refused', (text) => {
    expect(() => parseByteSize(text, '--max-body')).toThrow(/--max-body/);
  });
});
