import { describe, expect, test } from 'vitest';

import {
  detectDelimiter,
  splitSample,
} from '../../src/csv/detect-delimiter.js';

describe('detectDelimiter', () => {
  test.each([
    ['name,phone,city\nAsha,9000,Pune\n', ','],
    ['name;phone;city\nAsha;9000;Pune\n', ';'],
    ['name\tphone\tcity\nAsha\t9000\tPune\n', '\t'],
    ['name|phone|city\nAsha|9000|Pune\n', '|'],
  ])('finds the delimiter of %j', (sample, expected) => {
    expect(detectDelimiter(sample, true)).toBe(expected);
  });

  test('ignores delimiters inside quoted cells', () => {
    const sample =
      '"Name, full";"City, state"\n"Asha, K";"Pune, MH"\n"Ravi, S";"Goa, GA"\n';

    expect(detectDelimiter(sample, true)).toBe(';');
  });

  test('ignores a quoted header cell spanning lines', () => {
    const sample = 'name|"notes\nmore, notes, here"|city\nAsha|x|Pune\n';

    expect(detectDelimiter(sample, true)).toBe('|');
  });

  test('prefers the delimiter the data rows agree with', () => {
    // The header has a stray comma; the rows only agree on semicolons.
    const sample = 'name;phone, alt;city\n' + 'Asha;9000;Pune\n'.repeat(5);

    expect(detectDelimiter(sample, true)).toBe(';');
  });

  test('prefers more header cells when the rows agree on both', () => {
    const sample =
      'name\tphone, alt\tcity\n' + 'Asha\t9000, 9001\tPune\n'.repeat(3);

    expect(detectDelimiter(sample, true)).toBe('\t');
  });

  test('keeps the comma for a row with an extra cell (C08)', () => {
    const sample =
      'customer_name,phone_number,city\r\n' +
      'Asha Test,9000012381,Pune\r\n' +
      'Ravi Sample,9000012382,Flat 4, MG Road,Nagpur\r\n';

    expect(detectDelimiter(sample, true)).toBe(',');
  });

  test('never picks a letter, even one that splits every line evenly', () => {
    // csv-parse's delimiter_auto picked `n` on a file like this one.
    expect(detectDelimiter('phone\nnnnnn\nn9n\n', true)).toBe(',');
  });

  test('falls back to a comma for a single column', () => {
    expect(detectDelimiter('phone\n9000012301\n', true)).toBe(',');
  });

  test('falls back to a comma for an empty sample', () => {
    expect(detectDelimiter('', true)).toBe(',');
  });

  test('skips blank lines before the header', () => {
    expect(detectDelimiter('\r\n \r\n;;\r\na;b\r\n1;2\r\n', true)).toBe(';');
  });
});

describe('splitSample', () => {
  test('counts cells per non-blank record, up to the limit', () => {
    const text = 'a,b,c\n\n,,\n1,2\n"x,y",z\n4,5,6,7\n';

    expect(splitSample(text, ',', 3, true).cellCounts).toEqual([3, 2, 2]);
  });

  test('drops a record cut off by the end of an incomplete sample', () => {
    const text = 'a,b,c\n1,2,3\n4,5';

    expect(splitSample(text, ',', 10, false).cellCounts).toEqual([3, 3]);
    expect(splitSample(text, ',', 10, true).cellCounts).toEqual([3, 3, 2]);
  });

  test('reads doubled quotes inside a quoted cell as one quote', () => {
    expect(splitSample('"a"",b",c\n', ',', 10, true)).toEqual({
      cellCounts: [2],
      strayQuotes: 0,
    });
  });

  test('counts quotes that do not line up with the delimiter', () => {
    const text = '"a, b";"c"\n';

    expect(splitSample(text, ';', 10, true).strayQuotes).toBe(0);
    expect(splitSample(text, ',', 10, true).strayQuotes).toBeGreaterThan(0);
  });
});
