import { describe, expect, test } from 'vitest';

import { UsageError } from '../../src/errors.js';
import {
  RecordParser,
  type CsvRecord,
  type ParseStep,
} from '../../src/csv/record-parser.js';

/** Quoted line breaks of every kind, blank lines and all three line ends. */
const TRICKY = [
  'name,notes,city\r\n', // line 1
  'Asha,"one\r\ntwo",Pune\r\n', // lines 2-3
  '\r\n', // line 4, blank
  'Ravi,"a\nb\nc",Nagpur\n', // lines 5-7
  ' \t\n', // line 8, blank
  '"Old\rMac","x""y",z\r', // lines 9-10
  ',,\r\n', // line 11, blank
  'Meera,é€😀,"Indore"', // line 12, no line end
].join('');

const TRICKY_RECORDS: CsvRecord[] = [
  { line: 1, cells: ['name', 'notes', 'city'] },
  { line: 2, cells: ['Asha', 'one\r\ntwo', 'Pune'] },
  { line: 5, cells: ['Ravi', 'a\nb\nc', 'Nagpur'] },
  { line: 9, cells: ['Old\rMac', 'x"y', 'z'] },
  { line: 12, cells: ['Meera', 'é€😀', 'Indore'] },
];

function parseAll(
  chunks: Buffer[],
  delimiter = ',',
): {
  records: CsvRecord[];
  blanksBefore: number[];
  parser: RecordParser;
} {
  const parser = new RecordParser(delimiter, 'test.csv');
  const steps: ParseStep[] = chunks.map((chunk) => parser.parse(chunk));
  steps.push(parser.finish());
  const failed = steps.find((step) => step.error);
  if (failed) throw failed.error;
  return {
    records: steps.flatMap((step) => step.records),
    blanksBefore: steps.flatMap((step) => step.blanksBefore),
    parser,
  };
}

describe('RecordParser', () => {
  test('gives physical start lines and skips blank records', () => {
    const { records, parser } = parseAll([Buffer.from(TRICKY)]);

    expect(records).toEqual(TRICKY_RECORDS);
    expect(parser.blankCount).toBe(3);
  });

  test('gives the same records wherever a chunk boundary falls', () => {
    const bytes = Buffer.from(TRICKY);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { records } = parseAll([
        bytes.subarray(0, cut),
        bytes.subarray(cut),
      ]);
      expect(records, `cut at byte ${cut}`).toEqual(TRICKY_RECORDS);
    }
  });

  test('gives the same records when fed one byte at a time', () => {
    const bytes = Buffer.from(TRICKY);
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));

    expect(parseAll(chunks).records).toEqual(TRICKY_RECORDS);
  });

  test('tells how many blank records came before each record', () => {
    const { blanksBefore } = parseAll([Buffer.from(TRICKY)]);

    expect(blanksBefore).toEqual([0, 0, 1, 2, 3]);
  });

  test('keeps rows longer or shorter than the header as they are', () => {
    const { records } = parseAll([Buffer.from('a,b,c\n1,2,3,4,5\n6\n')]);

    expect(records.map((record) => record.cells)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3', '4', '5'],
      ['6'],
    ]);
  });

  test('counts cells of invisible characters as blank', () => {
    const { records, parser } = parseAll([
      Buffer.from('a,b\n\u00A0,\u200B\n\uFEFF\n1,2\n'),
    ]);

    expect(records.map((record) => record.line)).toEqual([1, 4]);
    expect(parser.blankCount).toBe(2);
  });

  test('reads text after a closing quote as Excel and Python do: the quoted part, unquoted, then the rest', () => {
    const { records } = parseAll([
      Buffer.from(
        'a,b,c\n"5" 10",x,"Pune" \n"Ravi Sample" ,"a""b" x,"₹ Asha" é\n',
      ),
    ]);

    expect(records.slice(1)).toEqual([
      { line: 2, cells: ['5 10"', 'x', 'Pune '] },
      { line: 3, cells: ['Ravi Sample ', 'a"b x', '₹ Asha é'] },
    ]);
  });

  test('a quoted cell whose text starts and ends with quotes keeps them', () => {
    const { records } = parseAll([
      Buffer.from('a,b\n"""VIP"" customer","""x"" "\n'),
    ]);

    expect(records[1]!.cells).toEqual(['"VIP" customer', '"x" ']);
  });

  test('reports a quote left open at the end with the line it opens on', () => {
    const parser = new RecordParser(',', 'leads.csv');
    const first = parser.parse(Buffer.from('a,b\n1,2\n3,"open\n\n4,5\n'));
    const last = parser.finish();

    expect(first.records.map((record) => record.line)).toEqual([1, 2]);
    expect(first.error).toBeUndefined();
    expect(last.error).toBeInstanceOf(UsageError);
    expect(last.error?.code).toBe('input.unclosedQuote');
    expect(last.error?.message).toMatch(
      /^A quoted cell on line 3 of leads\.csv is never closed/,
    );
  });

  test('finishEarly drops a line cut short by the end of the input', () => {
    const parser = new RecordParser(',', 'test.csv');
    const step = parser.parse(Buffer.from('a,b\n1,2\n3,4\n5,'));
    const early = parser.finishEarly();

    const records = [...step.records, ...early.records];
    expect(records.map((record) => record.line)).toEqual([1, 2, 3]);
  });

  test('finishEarly keeps every line when the input stops at a line end', () => {
    const parser = new RecordParser(',', 'test.csv');
    const step = parser.parse(Buffer.from('a,b\n1,2\n3,4\r\n'));
    const early = parser.finishEarly();

    const records = [...step.records, ...early.records];
    expect(records.map((record) => record.line)).toEqual([1, 2, 3]);
  });

  test('finishEarly does not count a cut-short blank-looking line', () => {
    const parser = new RecordParser(',', 'test.csv');
    parser.parse(Buffer.from('a,b\n1,2\n,'));
    parser.finishEarly();

    expect(parser.blankCount).toBe(0);
  });

  test('splits on the delimiter it was given only', () => {
    const { records } = parseAll([Buffer.from('a;b,c\n1;"2;3";4,5\n')], ';');

    expect(records.map((record) => record.cells)).toEqual([
      ['a', 'b,c'],
      ['1', '2;3', '4,5'],
    ]);
  });
});
