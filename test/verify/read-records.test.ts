import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';

import { describe, expect, test } from 'vitest';

import { describeJsonError } from '../../src/verify/describe-json-error.js';
import {
  readRecords,
  type RawRecord,
  type ReadRecordsOptions,
} from '../../src/verify/read-records.js';
import {
  resolveInputs,
  type VerifyInput,
} from '../../src/verify/resolve-inputs.js';
import { useTempDirectories } from '../helpers/temp-directory.js';
import { expectUsageError } from '../helpers/expect-usage-error.js';

const CASES_DIRECTORY = '/work/shared/cases/inputs';
const makeTempDirectory = useTempDirectories();

/** An input like standard input: a stream that hands over these chunks. */
function streamInput(chunks: Buffer[], name = '-'): VerifyInput {
  return { name, open: () => Readable.from(chunks) };
}

function textInput(text: string | Buffer, name = '-'): VerifyInput {
  return streamInput([Buffer.from(text)], name);
}

/** The bytes of `text`, one chunk of `size` bytes at a time. */
function chunked(text: string | Buffer, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

async function readBatches(
  input: VerifyInput,
  options?: ReadRecordsOptions,
): Promise<RawRecord[][]> {
  const batches: RawRecord[][] = [];
  for await (const batch of readRecords(input, options)) batches.push(batch);
  return batches;
}

async function readAll(
  input: VerifyInput,
  options?: ReadRecordsOptions,
): Promise<RawRecord[]> {
  return (await readBatches(input, options)).flat();
}

async function readText(
  text: string | Buffer,
  options?: ReadRecordsOptions,
): Promise<RawRecord[]> {
  return readAll(textInput(text), options);
}

/** Writes `content` to `name` in a fresh folder and names it from there. */
async function fileInput(
  name: string,
  content: string | Buffer,
): Promise<VerifyInput> {
  const directory = await makeTempDirectory();
  await writeFile(path.join(directory, name), content);
  const [input] = await resolveInputs([name], directory);
  return input!;
}

/** UTF-16 big-endian: Node writes only the little-endian order. */
function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

async function readCase(name: string): Promise<RawRecord[]> {
  const [input] = await resolveInputs([name], CASES_DIRECTORY);
  return readAll(input!);
}

/** Where each record sits and what kind it is, for compact asserts. */
function places(records: RawRecord[]): string[] {
  return records.map(({ type, location }) =>
    location.index === undefined
      ? `${type}@${location.line}`
      : `${type}@${location.line}#${location.index}`,
  );
}

function valuesOf(records: RawRecord[]): unknown[] {
  return records.map((record) =>
    record.type === 'value' ? record.value : record.type,
  );
}

describe('the shared cases', () => {
  test('C24: a BOM and CRLF line ends give three records on lines 1 to 3', async () => {
    const records = await readCase('C24-windows-bom-crlf.ndjson');

    expect(places(records)).toEqual(['value@1', 'value@2', 'value@3']);
    expect(records[0]).toMatchObject({
      location: { file: 'C24-windows-bom-crlf.ndjson' },
      value: { call_id: 'c-2026-0401' },
    });
  });

  test('C21: five NDJSON records on lines 1 to 5', async () => {
    const records = await readCase('C21-lead-dates-with-offsets.ndjson');

    expect(places(records)).toEqual([
      'value@1',
      'value@2',
      'value@3',
      'value@4',
      'value@5',
    ]);
    expect(records[1]).toMatchObject({
      value: { customer_name: 'Ravi Sample' },
    });
  });

  test('C22: a pretty-printed object is one record at line 1, without an index', async () => {
    const records = await readCase('C22-foreign-vocabulary-call-log.json');

    expect(places(records)).toEqual(['value@1']);
    expect(records[0]).toMatchObject({
      value: { call_id: 'c-2026-0201', direction: 'incoming' },
    });
  });
});

describe('NDJSON', () => {
  test('blank and white-space lines give no record but are counted', async () => {
    const records = await readText(
      '\n{"a":1}\r\n   \r\n\t\n{"b":2}\n\n{"c":3}\n\n',
    );

    expect(places(records)).toEqual(['value@2', 'value@5', 'value@7']);
    expect(valuesOf(records)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  test('a last line without a line end that parses is a record', async () => {
    const records = await readText('{"a":1}\n{"b":2}');

    expect(places(records)).toEqual(['value@1', 'value@2']);
    expect(valuesOf(records)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('a CRLF line end leaves no carriage return in the record', async () => {
    const records = await readText('"text"\r\n{"a":"b"}\r\n');

    expect(valuesOf(records)).toEqual(['text', { a: 'b' }]);
  });

  test('a line that is not JSON is reported with its line, and reading goes on', async () => {
    const records = await readText('{"a":1}\n{"b":2,}\n{"c":3}\n');

    expect(places(records)).toEqual(['value@1', 'notJson@2', 'value@3']);
    expect(records[1]).toEqual({
      type: 'notJson',
      location: { file: '-', line: 2 },
      message: 'Expected double-quoted property name at column 8',
      excerpt: '{"b":2,}',
    });
  });

  test('a last line that stops inside an object is cut short', async () => {
    const records = await readText('{"a":1}\n{"call_id":"c-1","dur');

    expect(records).toEqual([
      { type: 'value', location: { file: '-', line: 1 }, value: { a: 1 } },
      {
        type: 'cutShort',
        location: { file: '-', line: 2 },
        excerpt: '{"call_id":"c-1","dur',
      },
    ]);
  });

  test('a middle line that stops inside an object is not JSON, not cut short', async () => {
    const records = await readText('{"a":1}\n{"b":2\n{"c":3}\n');

    expect(places(records)).toEqual(['value@1', 'notJson@2', 'value@3']);
  });

  test('a last line of garbage without a line end is not JSON', async () => {
    const records = await readText('{"a":1}\nnot json at all');

    expect(places(records)).toEqual(['value@1', 'notJson@2']);
    expect(records[1]).toMatchObject({
      message: expect.stringMatching(/^Unexpected token '.'$/),
      excerpt: 'not json at all',
    });
  });

  test('a lone ] is not JSON', async () => {
    const records = await readText(']\n');

    expect(records).toEqual([
      {
        type: 'notJson',
        location: { file: '-', line: 1 },
        message: "Unexpected token ']'",
        excerpt: ']',
      },
    ]);
  });

  test('binary garbage is shown without control characters', async () => {
    const records = await readText(
      Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0x07, 0x0a]),
    );

    expect(places(records)).toEqual(['notJson@1']);
    const [record] = records;
    expect(record?.type === 'notJson' && record.excerpt).toBe(
      '\uFFFD[31m\uFFFD\uFFFD',
    );
    expect(record?.type === 'notJson' && record.message).not.toMatch(
      /[\u0000-\u001f]/,
    );
  });

  test('a long line that is not JSON has a cut excerpt with an ellipsis', async () => {
    const records = await readText(`oops ${'x'.repeat(200)}\n`);

    const [record] = records;
    expect(record?.type).toBe('notJson');
    const excerpt = record?.type === 'notJson' ? record.excerpt : '';
    expect(Array.from(excerpt)).toHaveLength(80);
    expect(excerpt).toMatch(/^oops x+…$/);
  });

  test('values other than objects are records too', async () => {
    const records = await readText('42\n"text"\nnull\n[1,2]\n');

    expect(valuesOf(records)).toEqual([42, 'text', null, [1, 2]]);
    expect(places(records)).toEqual([
      'value@1',
      'value@2',
      'value@3',
      'value@4',
    ]);
  });

  test('empty input and white space alone give no records', async () => {
    expect(await readText('')).toEqual([]);
    expect(await readText('\uFEFF')).toEqual([]);
    expect(await readText('\n \r\n\t\n')).toEqual([]);
  });

  test('records come in order, in more than one batch for a longer input', async () => {
    const lines = Array.from({ length: 500 }, (_, index) =>
      JSON.stringify({ index }),
    );
    const input = streamInput(chunked(`${lines.join('\n')}\n`, 1000));

    const batches = await readBatches(input);

    expect(batches.length).toBeGreaterThan(5);
    expect(batches.every((batch) => batch.length > 0)).toBe(true);
    const records = batches.flat();
    expect(records.map((record) => record.location.line)).toEqual(
      lines.map((_, index) => index + 1),
    );
    expect(valuesOf(records).at(-1)).toEqual({ index: 499 });
  });
});

describe('lines over the size limit', () => {
  const options = { maxRecordBytes: 100 };
  const longLine = `{"big":"${'x'.repeat(300)}"}`;

  test('a long line in one chunk is reported and the next line is read', async () => {
    const records = await readText(`{"a":1}\n${longLine}\n{"b":2}\n`, options);

    expect(places(records)).toEqual(['value@1', 'notJson@2', 'value@3']);
    expect(records[1]).toMatchObject({
      message:
        'The line is longer than the 100 bytes limit for one record, so it was not read',
      excerpt: expect.stringMatching(/^\{"big":"x+…$/),
    });
  });

  test('a long line over many small chunks is passed over to its end', async () => {
    const text = `{"a":1}\n${longLine}\r\n{"b":2}\n`;

    const records = await readAll(streamInput(chunked(text, 7)), options);

    expect(places(records)).toEqual(['value@1', 'notJson@2', 'value@3']);
    expect(valuesOf(records)).toEqual([{ a: 1 }, 'notJson', { b: 2 }]);
  });

  test('a long first line is reported whether or not it came in one chunk', async () => {
    const text = `${longLine}\n{"a":1}\n`;

    const whole = await readText(text, options);
    const inPieces = await readAll(streamInput(chunked(text, 16)), options);

    expect(places(whole)).toEqual(['notJson@1', 'value@2']);
    expect(inPieces).toEqual(whole);
  });

  test('a long last line without a line end is reported', async () => {
    const records = await readAll(
      streamInput(chunked(`{"a":1}\n${longLine}`, 16)),
      options,
    );

    expect(places(records)).toEqual(['value@1', 'notJson@2']);
  });

  test('a line of exactly the limit is read', async () => {
    const line = `{"x":"${'y'.repeat(92)}"}`;
    expect(Buffer.byteLength(line)).toBe(100);

    const records = await readAll(
      streamInput(chunked(`${line}\n`, 9)),
      options,
    );

    expect(places(records)).toEqual(['value@1']);
  });

  test('the limit counts bytes, not characters', async () => {
    const line = `{"x":"${'é'.repeat(60)}"}`;
    expect(line.length).toBeLessThan(100);

    const records = await readText(`{"a":1}\n${line}\n`, options);

    expect(places(records)).toEqual(['value@1', 'notJson@2']);
  });
});

describe('character encoding', () => {
  const text = '{"name":"Zoë","note":"€ 5 😀"}\n{"city":"Pune"}\n';

  test('multi-byte characters split across one-byte chunks come through whole', async () => {
    const records = await readAll(streamInput(chunked(text, 1)));

    expect(valuesOf(records)).toEqual([
      { name: 'Zoë', note: '€ 5 😀' },
      { city: 'Pune' },
    ]);
  });

  test('a file read with a small highWaterMark decodes the same', async () => {
    const directory = await makeTempDirectory();
    const file = path.join(directory, 'small-chunks.ndjson');
    await writeFile(file, `\uFEFF${text}`);
    const input = {
      name: 'small-chunks.ndjson',
      open: () => createReadStream(file, { highWaterMark: 3 }),
    };

    const records = await readAll(input);

    expect(places(records)).toEqual(['value@1', 'value@2']);
    expect(valuesOf(records)[0]).toEqual({ name: 'Zoë', note: '€ 5 😀' });
  });

  test('a BOM split across chunks is still skipped', async () => {
    const records = await readAll(streamInput(chunked(`\uFEFF${text}`, 1)));

    expect(places(records)).toEqual(['value@1', 'value@2']);
    expect(valuesOf(records)[1]).toEqual({ city: 'Pune' });
  });

  test('a line with bytes UTF-8 does not allow is reported by its number, never read with a guess', async () => {
    const windows1252 = Buffer.concat([
      Buffer.from('{"name":"D'),
      Buffer.from([0x92]),
      Buffer.from('Souza"}'),
    ]);
    const bytes = Buffer.concat([
      Buffer.from('{"name":"Asha"}\n'),
      windows1252,
      Buffer.from('\n{"name":"Ravi"}\n'),
      windows1252,
    ]);

    const records = await readText(bytes);

    expect(records.map((record) => record.type)).toEqual([
      'value',
      'notJson',
      'value',
      'notJson',
    ]);
    expect(records.map((record) => record.location.line)).toEqual([1, 2, 3, 4]);
    expect(records[1]).toMatchObject({
      message: expect.stringMatching(
        /not UTF-8.*Windows-1252.*Save the file as UTF-8/,
      ) as unknown,
    });
  });

  test('a document split into one-byte chunks decodes whole', async () => {
    const document = '[\n  {"name": "Zoë"},\n  {"note": "😀"}\n]\n';

    const records = await readAll(streamInput(chunked(document, 1)));

    expect(valuesOf(records)).toEqual([{ name: 'Zoë' }, { note: '😀' }]);
    expect(places(records)).toEqual(['value@2#0', 'value@3#1']);
  });
});

describe('JSON documents', () => {
  test('a pretty object after a BOM and blank lines starts on its own line', async () => {
    const records = await readText('\uFEFF\r\n\r\n{\r\n  "a": 1\r\n}\r\n');

    expect(places(records)).toEqual(['value@3']);
    expect(valuesOf(records)).toEqual([{ a: 1 }]);
  });

  test('a pretty array gives a record per element, with its index and start line', async () => {
    const document = [
      '[',
      '  {',
      '    "a": "[{,}]\\"",',
      '    "list": [1, 2]',
      '  },',
      '  {"b": 2}, {"c": 3},',
      '',
      '  "text"',
      ']',
      '',
    ].join('\n');

    const records = await readText(document);

    expect(places(records)).toEqual([
      'value@2#0',
      'value@6#1',
      'value@6#2',
      'value@8#3',
    ]);
    expect(valuesOf(records)).toEqual([
      { a: '[{,}]"', list: [1, 2] },
      { b: 2 },
      { c: 3 },
      'text',
    ]);
  });

  test('a one-line array gives records on line 1 with indexes', async () => {
    const records = await readText('[{"a":1},{"b":2},{"c":3}]');

    expect(places(records)).toEqual(['value@1#0', 'value@1#1', 'value@1#2']);
  });

  test('an empty array gives no records', async () => {
    expect(await readText('[]')).toEqual([]);
    expect(await readText('[\n]\n')).toEqual([]);
  });

  test('a large array is handed over in batches', async () => {
    const elements = Array.from({ length: 2500 }, (_, index) => ({ index }));

    const batches = await readBatches(textInput(JSON.stringify(elements)));

    expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(batches[2]?.at(-1)?.location.index).toBe(2499);
  });

  test('a broken element is reported alone and the others are records', async () => {
    const document = '[\n  {"a": 1},\n  {"b" 2},\n  {"c": 3}\n]\n';

    const records = await readText(document);

    expect(places(records)).toEqual(['value@2#0', 'notJson@3#1', 'value@4#2']);
    expect(records[1]).toMatchObject({
      message: "Expected ':' after property name at line 3, column 8",
      excerpt: '{"b" 2}',
    });
  });

  test('empty elements and a trailing comma are reported by index', async () => {
    const records = await readText('[1,,2,]');

    expect(places(records)).toEqual([
      'value@1#0',
      'notJson@1#1',
      'value@1#2',
      'notJson@1#3',
    ]);
    expect(records[1]).toMatchObject({ message: /^Empty element/ });
  });

  test('an array cut off inside an element is one not-JSON record for that element', async () => {
    const records = await readText('[\n  {"a": 1},\n  {"call_id": "c-');

    expect(places(records)).toEqual(['value@2#0', 'notJson@3#1']);
    expect(records[1]).toEqual({
      type: 'notJson',
      location: { file: '-', line: 3, index: 1 },
      message:
        'The input ends inside this element: the JSON array is not closed (`]` is missing at the end)',
      excerpt: '{"call_id": "c-',
    });
  });

  test('an array with no closing bracket ends in one not-JSON record saying so, not a cut-short one', async () => {
    const records = await readText('[\n  {"a": 1},\n  {"b": 2}\n\n');

    expect(places(records)).toEqual(['value@2#0', 'value@3#1', 'notJson@3']);
    expect(records[2]).toEqual({
      type: 'notJson',
      location: { file: '-', line: 3 },
      message:
        'The JSON array is not closed: `]` is missing at the end of the input',
      excerpt: '{"b": 2}',
    });
  });

  test('a broken last element of an unclosed array is reported once, with both problems', async () => {
    const records = await readText('[\n  {"a": 1},\n  {"b" 2}\n');

    expect(places(records)).toEqual(['value@2#0', 'notJson@3#1']);
    expect(records[1]).toMatchObject({
      message:
        "Expected ':' after property name at line 3, column 8; and the JSON array is not closed (`]` is missing at the end)",
    });
  });

  test('an unclosed array after a trailing comma is reported at its last line', async () => {
    const records = await readText('[\n  {"a": 1},\n');

    expect(places(records)).toEqual(['value@2#0', 'notJson@2']);
    expect(records.some((record) => record.type === 'cutShort')).toBe(false);
  });

  test('text after the closing bracket is not JSON', async () => {
    const records = await readText('[{"a": 1}]\n\n]oops\n');

    expect(places(records)).toEqual(['value@1#0', 'notJson@3']);
    expect(records[1]).toMatchObject({
      message: 'Unexpected text after the end of the JSON array',
      excerpt: ']oops',
    });
  });

  test('an object whose first line is not JSON alone, but whole is, is one record', async () => {
    const records = await readText('{"a": 1,\n "b": [1,\n 2]}\n');

    expect(places(records)).toEqual(['value@1']);
    expect(valuesOf(records)).toEqual([{ a: 1, b: [1, 2] }]);
  });

  test('a pretty object with a bad value is one not-JSON record at the line of the error', async () => {
    const records = await readText('{\n  "a": 1,\n  "b": tru\n}\n');

    expect(records).toEqual([
      {
        type: 'notJson',
        location: { file: '-', line: 3 },
        message: 'Unexpected line break at line 3, column 11',
        excerpt: '"b": tru',
      },
    ]);
  });

  test('NDJSON with a broken first line is read as NDJSON, not held as one document', async () => {
    const lines = Array.from({ length: 50 }, (_, index) => `{"n":${index}}`);
    const text = `{'quoted': 'wrongly'}\n${lines.join('\n')}\n`;

    // Held whole, this would pass the limit and fail as too large.
    const records = await readAll(streamInput(chunked(text, 64)), {
      maxRecordBytes: 200,
    });

    expect(records).toHaveLength(51);
    expect(places(records).slice(0, 2)).toEqual(['notJson@1', 'value@2']);
    expect(records.at(-1)).toMatchObject({
      location: { line: 51 },
      value: { n: 49 },
    });
  });

  test('an array larger than maxRecordBytes is refused', async () => {
    const document = `[${'{"a":1},'.repeat(50)}{"a":1}]`;

    await expectUsageError(
      readText(document, { maxRecordBytes: 256 }),
      'verify.documentTooLarge',
      /^Standard input is a JSON document larger than the 256 bytes limit.*NDJSON.*has no size limit/,
    );
  });

  test('a pretty object larger than maxRecordBytes is refused, naming its first line', async () => {
    const document = `\n{\n${'  "key": "value",\n'.repeat(80)}  "end": 1\n}\n`;

    await expectUsageError(
      readAll(streamInput(chunked(document, 50), 'big.json'), {
        maxRecordBytes: 1024,
      }),
      'verify.documentTooLarge',
      /^big\.json starts with a JSON object that does not end on line 2.*1 KiB limit/,
    );
  });
});

describe('pretty objects that do not parse', () => {
  const missingComma = [
    '{',
    '  "call_id": "c-1",',
    '  "duration": 12',
    '  "direction": "inbound"',
    '}',
    '',
  ].join('\n');

  test('a pretty object missing a comma is one record at the line JSON.parse stopped on, naming the reason', async () => {
    const records = await readText(missingComma);

    expect(records).toEqual([
      {
        type: 'notJson',
        location: { file: '-', line: 4 },
        message: "Expected ',' or '}' after property value at line 4, column 3",
        excerpt: '"direction": "inbound"',
      },
    ]);
  });

  test('the same object in one-byte chunks gives the same record', async () => {
    const whole = await readText(missingComma);

    const inPieces = await readAll(streamInput(chunked(missingComma, 1)));

    expect(inPieces).toEqual(whole);
  });

  test('a pretty object that ends too soon is placed after its last character', async () => {
    const records = await readText('{\n  "a": 1,\n  "b": 2\n\n');

    expect(places(records)).toEqual(['notJson@3']);
    expect(records[0]).toMatchObject({
      message: "Expected ',' or '}' after property value at line 3, column 9",
    });
  });

  test('a first line that leaves an object open, followed by lines that are objects alone, is NDJSON with its first line cut', async () => {
    const records = await readText('{"a":1\n{"b":2}\n{"c":3}\n');

    expect(places(records)).toEqual(['notJson@1', 'value@2', 'value@3']);
  });

  test('a capture whose only line is still being written stays cut short, not a document', async () => {
    const records = await readText('{"receivedAt":"2026-12-04","body":{"a":');

    expect(places(records)).toEqual(['cutShort@1']);
  });

  test('a stray closing brace makes one record for the document, not a record per piece', async () => {
    const records = await readText('{\n  "a": {"x": 1}},\n  "b": 2\n}\n');

    expect(records).toEqual([
      {
        type: 'notJson',
        location: { file: '-', line: 2 },
        message:
          'Unexpected non-whitespace character after JSON at line 2, column 17',
        excerpt: '"a": {"x": 1}},',
      },
    ]);
  });

  test('a long NDJSON line that is not JSON is described without the copy V8 quotes', async () => {
    const records = await readText(`oops ${'x'.repeat(200)}\n`);

    expect(records[0]).toMatchObject({ message: "Unexpected token 'o'" });
  });

  test('text after a value on an NDJSON line is placed by column', async () => {
    const records = await readText('{"a":1}}\n');

    expect(records[0]).toMatchObject({
      message: 'Unexpected non-whitespace character after JSON at column 8',
    });
  });
});

describe('values one after another', () => {
  test('what jq . prints gives a record per value, at the line it starts on, without an index', async () => {
    const text = '{\n  "a": 1\n}\n{\n  "b": 2\n}\n\n\n{\n  "c": 3\n}\n';

    const records = await readText(text);

    expect(records).toEqual([
      { type: 'value', location: { file: '-', line: 1 }, value: { a: 1 } },
      { type: 'value', location: { file: '-', line: 4 }, value: { b: 2 } },
      { type: 'value', location: { file: '-', line: 9 }, value: { c: 3 } },
    ]);
  });

  test('values glued with }{ are cut apart, on one line or across lines', async () => {
    expect(places(await readText('{"a":1}{"b":2}\n'))).toEqual([
      'value@1',
      'value@1',
    ]);
    expect(places(await readText('{"a":1} {"b":2}'))).toEqual([
      'value@1',
      'value@1',
    ]);
    const pretty = await readText('{\n  "a": 1\n}{\n  "b": [1]\n}\n');
    expect(places(pretty)).toEqual(['value@1', 'value@3']);
    expect(valuesOf(pretty)).toEqual([{ a: 1 }, { b: [1] }]);
  });

  test('a first line of glued values followed by NDJSON gives every record', async () => {
    const records = await readText('{"a":1}{"b":2}\n{"c":3}\n{"d":4}\n');

    expect(places(records)).toEqual([
      'value@1',
      'value@1',
      'value@2',
      'value@3',
    ]);
  });

  test('a value that does not parse is one record at its start, and the next is read', async () => {
    const text = [
      '{',
      '  "a": 1',
      '}',
      '{',
      '  "b": 2',
      '  "x": 1',
      '}',
      '{',
      '  "c": 3',
      '}',
      '',
    ].join('\n');

    const records = await readText(text);

    expect(places(records)).toEqual(['value@1', 'notJson@4', 'value@8']);
    expect(records[1]).toEqual({
      type: 'notJson',
      location: { file: '-', line: 4 },
      message: "Expected ',' or '}' after property value at line 6, column 3",
      excerpt: '{ "b": 2 "x": 1 }',
    });
  });

  test('values one after another are found the same in one-byte chunks', async () => {
    const text = '{\n  "a": "}{"\n}\n{\n  "b": 2\n}{"c": 3}\n';

    const records = await readAll(streamInput(chunked(text, 1)));

    expect(places(records)).toEqual(['value@1', 'value@4', 'value@6']);
    expect(valuesOf(records)).toEqual([{ a: '}{' }, { b: 2 }, { c: 3 }]);
  });

  test('values one after another over maxRecordBytes are refused, pointing at NDJSON', async () => {
    const text = '{\n  "key": "value"\n}\n'.repeat(100);

    await expectUsageError(
      readAll(streamInput(chunked(text, 64), 'jq-output.json'), {
        maxRecordBytes: 1024,
      }),
      'verify.documentTooLarge',
      /^jq-output\.json starts with a JSON object that does not end on line 1, .*or several, one after another.*1 KiB limit.*NDJSON is read line by line and has no size limit \(`jq -c` writes it\)\.$/,
    );
  });
});

describe('byte order marks in the middle', () => {
  const mark = '\uFEFF';
  const markMessage =
    'Found a byte order mark (U+FEFF) in the middle of the file at line 4, column 1, as left by joining two files saved on Windows: remove it';

  test('two pretty files joined with cat: the second value is reported for its mark, in words', async () => {
    const first = '{\r\n  "a": 1\r\n}\r\n';
    const second = '{\r\n  "b": 2\r\n}\r\n';

    const records = await readText(`${mark}${first}${mark}${second}`);

    expect(places(records)).toEqual(['value@1', 'notJson@4']);
    expect(records[1]).toMatchObject({ message: markMessage });
  });

  test('a mark inside a pretty object is named, with its line', async () => {
    const records = await readText(`{\n  "a": 1,\n\n${mark}  "b": 2\n}\n`);

    expect(records).toEqual([
      expect.objectContaining({
        type: 'notJson',
        location: { file: '-', line: 4 },
        message: markMessage,
      }),
    ]);
  });

  test('a mark before an array element is named for that element', async () => {
    const records = await readText(`[\n{"a":1},\n\n${mark}{"b":2}\n]\n`);

    expect(places(records)).toEqual(['value@2#0', 'notJson@4#1']);
    expect(records[1]).toMatchObject({ message: markMessage });
  });

  test('a mark after a closed array is named', async () => {
    const records = await readText(`[{"a":1}]\n${mark}[{"b":2}]\n`);

    expect(places(records)).toEqual(['value@1#0', 'notJson@2']);
    expect(records[1]).toMatchObject({
      message: expect.stringMatching(
        /^Found a byte order mark \(U\+FEFF\) in the middle of the file, after the end of the JSON array, .*: remove it$/,
      ) as unknown,
    });
  });

  test('describeJsonError names a mark in any text, NDJSON lines included', () => {
    const line = `${mark}{"b":2}`;
    const error = catchError(() => JSON.parse(line));

    expect(
      describeJsonError(error, line, { line: 7, column: 1, isOneLine: true }),
    ).toBe(
      'Found a byte order mark (U+FEFF) in the middle of the file, as left by joining two files saved on Windows: remove it',
    );
    const member = `{"a":1,${mark}"b":2}`;
    expect(
      describeJsonError(
        catchError(() => JSON.parse(member)),
        member,
        {
          line: 1,
          column: 1,
          isOneLine: true,
        },
      ),
    ).toBe(
      'Found a byte order mark (U+FEFF) in the middle of the file at column 8, as left by joining two files saved on Windows: remove it',
    );
  });

  test('describeJsonError reads the line and column newer Node versions add', () => {
    const error = new SyntaxError(
      "Expected ',' or '}' after property value in JSON at position 8 (line 3 column 1)",
    );

    expect(
      describeJsonError(error, '{\n"a":1\n"b":2}', {
        line: 10,
        column: 1,
        isOneLine: false,
      }),
    ).toBe("Expected ',' or '}' after property value at line 12, column 1");
  });
});

describe('inputs that are not UTF-8 text', () => {
  const document = '{\n  "call_id": "c-1"\n}\n';

  test('UTF-16 with a byte order mark is refused, saying how to convert it', async () => {
    const input = await fileInput(
      'calls.json',
      Buffer.from(`\uFEFF${document}`, 'utf16le'),
    );

    await expectUsageError(
      readAll(input),
      'verify.notUtf8Input',
      /^calls\.json is UTF-16 text, but verify reads UTF-8\. Convert it with iconv -f UTF-16 -t UTF-8 calls\.json > calls-utf8\.json, or open it in your editor and save it as UTF-8\.$/,
    );
  });

  test('big-endian UTF-16 with a byte order mark is refused too', async () => {
    const input = await fileInput(
      'events.ndjson',
      utf16be(`\uFEFF{"a":1}\n{"b":2}\n`),
    );

    await expectUsageError(
      readAll(input),
      'verify.notUtf8Input',
      /^events\.ndjson is UTF-16 text, but verify reads UTF-8\. Convert it with iconv -f UTF-16 -t UTF-8 events\.ndjson > events-utf8\.ndjson/,
    );
  });

  test('UTF-16 without a byte order mark is told by its NUL bytes, and the byte order named', async () => {
    const input = await fileInput(
      'export (2).json',
      Buffer.from(document, 'utf16le'),
    );

    await expectUsageError(
      readAll(input),
      'verify.notUtf8Input',
      /^export \(2\)\.json is UTF-16 text \(little-endian, without a byte order mark\), but verify reads UTF-8\. Convert it with iconv -f UTF-16LE -t UTF-8 'export \(2\)\.json' > 'export \(2\)-utf8\.json'/,
    );
  });

  test('UTF-16 on standard input is refused even when it comes a byte at a time', async () => {
    const input = streamInput(chunked(utf16be('[{"a":1}]\n'), 1));

    await expectUsageError(
      readAll(input),
      'verify.notUtf8Input',
      /^Standard input is UTF-16 text \(big-endian, without a byte order mark\), but verify reads UTF-8\. Convert it on the way in: … \| iconv -f UTF-16BE -t UTF-8 \| astradial verify -$/,
    );
  });

  test('a gzip file is refused, saying how to verify it', async () => {
    const input = await fileInput(
      'events.ndjson.gz',
      gzipSync('{"a":1}\n{"b":2}\n'),
    );

    await expectUsageError(
      readAll(input),
      'verify.notUtf8Input',
      /^events\.ndjson\.gz is gzip-compressed\. Decompress it on the way in: gunzip -c events\.ndjson\.gz \| astradial verify -$/,
    );
  });

  test('UTF-8 with characters outside ASCII is read as before', async () => {
    const records = await readText('{"name":"Zoë"}\n{"city":"पुणे"}\n');

    expect(valuesOf(records)).toEqual([{ name: 'Zoë' }, { city: 'पुणे' }]);
  });
});

describe('inputs that cannot be read', () => {
  test('a file deleted after it was named is unreadable', async () => {
    const directory = await makeTempDirectory();
    await writeFile(path.join(directory, 'gone.ndjson'), '{"a":1}\n');
    const [input] = await resolveInputs(['gone.ndjson'], directory);
    await rm(path.join(directory, 'gone.ndjson'));

    await expectUsageError(
      readAll(input!),
      'verify.inputUnreadable',
      /^Cannot read gone\.ndjson: no such file or directory \(ENOENT\)\. /,
    );
  });

  test('a folder read as a file is unreadable', async () => {
    const directory = await makeTempDirectory();
    await mkdir(path.join(directory, 'folder.json'));
    const input = {
      name: 'folder.json',
      open: () => createReadStream(path.join(directory, 'folder.json')),
    };

    await expectUsageError(
      readAll(input),
      'verify.inputUnreadable',
      /^Cannot read folder\.json: .*\(EISDIR\)\. It is a folder/,
    );
  });

  test('a stream that fails midway gives its first records, then the error', async () => {
    const failure = Object.assign(new Error('read failed'), {
      code: 'EIO',
      errno: -5,
    });
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n{"b":2}\n');
      throw failure;
    }
    const input = { name: '-', open: () => Readable.from(chunks()) };
    const seen: RawRecord[] = [];

    const reading = (async () => {
      for await (const batch of readRecords(input)) seen.push(...batch);
    })();

    await expectUsageError(
      reading,
      'verify.inputUnreadable',
      /^Cannot read standard input: i\/o error \(EIO\)/,
    );
    expect(places(seen)).toEqual(['value@1', 'value@2']);
  });
});

describe('memory', () => {
  test('a 200 MB NDJSON file is read in bounded memory, long lines included', async () => {
    const directory = await makeTempDirectory();
    const file = path.join(directory, 'big.ndjson');
    const { lines, bytes } = await writeLargeNdjson(file);
    expect(bytes).toBeGreaterThan(200_000_000);
    const [input] = await resolveInputs([file], directory);

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const samplePeak = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    // Between batches too: the long line yields nothing while it is read.
    const sampler = setInterval(samplePeak, 5);
    let count = 0;
    let tooLong = 0;
    try {
      for await (const batch of readRecords(input!, {
        maxRecordBytes: 1024 * 1024,
      })) {
        count += batch.length;
        tooLong += batch.filter((record) => record.type === 'notJson').length;
        samplePeak();
      }
    } finally {
      clearInterval(sampler);
    }

    expect(count).toBe(lines);
    expect(tooLong).toBe(1);
    // Reading takes about 15 MB more; holding the long line, 128 MB.
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);
});

/**
 * Writes about 200 MB of NDJSON, streaming: 340,000 short lines (78 MB)
 * around one 128 MiB line, which the reader must pass over without
 * holding it.
 */
async function writeLargeNdjson(
  file: string,
): Promise<{ lines: number; bytes: number }> {
  const output = createWriteStream(file);
  const block = Array.from(
    { length: 1000 },
    (_, index) =>
      `${JSON.stringify({ call_id: `c-${index}`, duration: index, recording_url: `https://recordings.example.com/c-${index}.mp3`, direction: 'inbound', caller_id_number: '+919000012501', call_to_number: '+919000099001', bot_type: 'voice_streaming' })}\n`,
  ).join('');
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!output.write(text)) {
      await once(output, 'drain');
    }
  };
  for (let round = 0; round < 340; round++) {
    await write(block);
    if (round === 170) {
      await write('{"huge":"');
      const filler = 'x'.repeat(1024 * 1024);
      for (let part = 0; part < 128; part++) await write(filler);
      await write('"}\n');
    }
  }
  output.end();
  await finished(output);
  return { lines: 340 * 1000 + 1, bytes };
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('a capture whose first line was cut short', () => {
  test('is NDJSON with a broken first line, however the cut fell, not one broken document', async () => {
    const complete = '{"call_id":"c2","duration":5,"direction":"inbound"}';
    for (const cut of [
      '{"call_id":"c1","duration":5,',
      '{"call_id":"c1","dura',
    ]) {
      const records = await readText(
        Buffer.from(`${cut}\n${complete}\n${complete}\n`),
      );

      expect(
        records.map((record) => `${record.type}@${record.location.line}`),
      ).toEqual(['notJson@1', 'value@2', 'value@3']);
    }
  });
});

describe('a document that is not UTF-8', () => {
  test('is one problem at the line of the first bad byte, never read with replacement characters', async () => {
    const bytes = Buffer.concat([
      Buffer.from('[\n  {"name":"Asha"},\n  {"name":"D'),
      Buffer.from([0x92]),
      Buffer.from('Souza"}\n]\n'),
    ]);

    const records = await readText(bytes);

    expect(places(records)).toEqual(['notJson@3']);
    expect(records[0]).toMatchObject({
      message: expect.stringMatching(/not UTF-8/) as unknown,
    });
  });
});
