import { describe, expect, test } from 'vitest';

import {
  encodeHeader,
  encodeRecord,
  parseHeader,
  parseRecord,
  UnreadableHeaderError,
  type JournalHeader,
  type JournalRecord,
} from '../../src/journal/journal-format.js';

const HEADER: JournalHeader = {
  journal: 'astradial-push',
  version: 1,
  input: { path: '/data/leads.csv', size: 120, sha256: 'ab'.repeat(32) },
  target: 'https://events.astradial.com/acme',
  createdAt: '2025-01-02T03:04:05.000Z',
};

function parseText(text: string): JournalRecord | undefined {
  const bytes = Buffer.from(text, 'utf8');
  return parseRecord(bytes, 0, bytes.length);
}

describe('records', () => {
  test.each<JournalRecord>([
    { op: 'S', line: 2 },
    { op: 'D', line: 1_000_000 },
    { op: 'N', line: 17 },
    { op: 'R', line: 3, reason: 'server_rejected', detail: 'HTTP 400\n"x"' },
    { op: 'U', line: 4, detail: 'timed out after 10 s' },
  ])('$op round-trips', (record) => {
    const text = encodeRecord(record);

    expect(text).not.toContain('\n');
    expect(parseText(text)).toEqual(record);
  });

  test('the text is an op letter, a space and the line number', () => {
    expect(encodeRecord({ op: 'S', line: 42 })).toBe('S 42');
    expect(encodeRecord({ op: 'U', line: 5, detail: 'reset' })).toBe(
      'U 5 {"detail":"reset"}',
    );
  });

  test('a record is parsed from the middle of a buffer', () => {
    const bytes = Buffer.from('xxD 12\nyy');

    expect(parseRecord(bytes, 2, 6)).toEqual({ op: 'D', line: 12 });
  });

  test.each([
    ['an unknown op', 'X 1'],
    ['a lowercase op', 's 1'],
    ['no space', 'S1'],
    ['no number', 'S '],
    ['line 0', 'S 0'],
    ['a leading zero', 'D 07'],
    ['a negative number', 'D -1'],
    ['a number too large', 'D 99999999999'],
    ['trailing text', 'D 1 extra'],
    ['a carriage return', 'D 1\r'],
    ['R without JSON', 'R 1'],
    ['R with bad JSON', 'R 1 {"reason":'],
    ['R without a reason', 'R 1 {"detail":"x"}'],
    ['U with a non-string detail', 'U 1 {"detail":5}'],
    ['U with a JSON array', 'U 1 ["x"]'],
    ['an empty line', ''],
  ])('%s is not a record', (_case, text) => {
    expect(parseText(text)).toBeUndefined();
  });

  test('line numbers that are not positive integers are refused', () => {
    expect(() => encodeRecord({ op: 'S', line: 0 })).toThrow(RangeError);
    expect(() => encodeRecord({ op: 'S', line: 1.5 })).toThrow(RangeError);
  });
});

describe('the header', () => {
  test('round-trips', () => {
    expect(parseHeader(encodeHeader(HEADER))).toEqual(HEADER);
  });

  test.each([
    ['text that is not JSON', 'customer_name,phone_number'],
    ['another kind of file', JSON.stringify({ ...HEADER, journal: 'other' })],
    ['a missing target', JSON.stringify({ ...HEADER, target: undefined })],
    ['a size that is not a number', JSON.stringify({ ...HEADER, input: {} })],
  ])('%s is not a header', (_case, text) => {
    expect(() => parseHeader(text)).toThrow(UnreadableHeaderError);
  });

  test('a newer version is named as such', () => {
    const text = JSON.stringify({ ...HEADER, version: 2 });

    expect(() => parseHeader(text)).toThrow(/newer astradial/);
  });
});
