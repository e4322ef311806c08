import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import { describe, expect, test } from 'vitest';

import { openCsv } from '../../src/csv/read-csv.js';
import {
  asciiRows,
  CASES_DIRECTORY,
  collect,
  expectUsageError,
  readAll,
  streamOf,
  useCsvFiles,
} from './csv-test-helpers.js';

const writeCsv = useCsvFiles();

/** C05 built byte by byte: Windows-1252 quotes, euro sign and en dash. */
const C05_BYTES = Buffer.concat([
  Buffer.from('customer_name,phone_number,remarks\r\nAsha D'),
  Buffer.from([0x92]),
  Buffer.from('Souza,9000012351,Budget '),
  Buffer.from([0x80]),
  Buffer.from(' 2000 '),
  Buffer.from([0x96]),
  Buffer.from(' '),
  Buffer.from([0x93]),
  Buffer.from('4BHK'),
  Buffer.from([0x94]),
  Buffer.from('\r\nRavi Sample,9000012352,plain ascii\r\n'),
]);
const C05_REMARKS = 'Budget \u20AC 2000 \u2013 \u201C4BHK\u201D';
const C05_NAME = 'Asha D\u2019Souza';

function casePath(name: string): string {
  return path.join(CASES_DIRECTORY, name);
}

describe('the shared cases', () => {
  test('C01: the UTF-8 BOM is removed from the first header', async () => {
    const { source, header, records } = await readAll(
      casePath('C01-bom-excel-headers.csv'),
    );

    expect(source.encoding).toBe('utf-8');
    expect(source.delimiter).toBe(',');
    expect(header).toEqual(['Customer Name', 'Mobile No.', 'city']);
    expect(records).toEqual([
      { line: 2, cells: ['Asha Test', '9000012301', 'Pune'] },
      { line: 3, cells: ['Ravi Sample', '+91 90000 12302', 'Nagpur'] },
      { line: 4, cells: ['Meera Demo', '09000012303', 'Indore'] },
    ]);
    const everyCell = [...header, ...records.flatMap((record) => record.cells)];
    expect(everyCell.join('')).not.toMatch(/[\uFEFF\r\n]/);
  });

  test('C02: duplicate headers come through raw, in place', async () => {
    const { header, records } = await readAll(
      casePath('C02-duplicate-header.csv'),
    );

    expect(header).toEqual(['Name', 'Mobile', 'city', 'Mobile']);
    expect(records[1]).toEqual({
      line: 3,
      cells: ['Ravi Sample', '9000012313', 'Nagpur', ''],
    });
  });

  test('C05: a file that is not UTF-8 is read as Windows-1252', async () => {
    const file = casePath('C05-windows-1252.csv');
    expect(await readFile(file)).toEqual(C05_BYTES);

    const { source, records } = await readAll(file);

    expect(source.encoding).toBe('windows-1252');
    expect(records).toEqual([
      { line: 2, cells: [C05_NAME, '9000012351', C05_REMARKS] },
      { line: 3, cells: ['Ravi Sample', '9000012352', 'plain ascii'] },
    ]);
    const text = records.flatMap((record) => record.cells).join('');
    expect(text).not.toMatch(/[\uFFFD\u0080-\u009F]/);
  });

  test('C05 with --encoding windows-1252 gives the same cells', async () => {
    const detected = await readAll(casePath('C05-windows-1252.csv'));
    const forced = await readAll(casePath('C05-windows-1252.csv'), {
      encoding: 'windows-1252',
    });

    expect(forced.source.encoding).toBe('windows-1252');
    expect(forced.records).toEqual(detected.records);
  });

  test('C07: blank and comma-only lines are skipped and counted', async () => {
    const source = await openCsv(casePath('C07-blank-and-comma-rows.csv'));
    expect(source.blankLineCount()).toBe(0);

    const records = [];
    const blanksSoFar = [];
    for await (const record of source.records) {
      records.push(record);
      blanksSoFar.push(source.blankLineCount());
    }

    expect(records).toEqual([
      { line: 2, cells: ['Asha Test', '9000012371', 'Pune'] },
      { line: 4, cells: ['Ravi Sample', '9000012372', 'Nagpur'] },
    ]);
    // Line 3 is behind Ravi; lines 5-7 are counted once the end is reached.
    expect(blanksSoFar).toEqual([0, 1]);
    expect(source.blankLineCount()).toBe(4);
  });

  test('C08: a row with extra cells comes through with all of them', async () => {
    const { records } = await readAll(casePath('C08-extra-cell.csv'));

    expect(records.map((record) => record.line)).toEqual([2, 3, 4]);
    expect(records[1]).toEqual({
      line: 3,
      cells: ['Ravi Sample', '9000012382', 'Flat 4', ' MG Road', 'Nagpur'],
    });
  });
});

describe("Excel's sep= line", () => {
  test('names the delimiter, from a file or a stream, after a BOM too, and is not a record', async () => {
    const text = '\uFEFFsep=;\r\nName;Mobile\r\nAsha, Test;9000012301\r\n';
    for (const input of [
      await writeCsv(text),
      streamOf(Buffer.from(text, 'utf8')),
    ]) {
      const { source, header, records } = await readAll(input);

      expect(source.delimiter).toBe(';');
      expect(source.hasSeparatorLine).toBe(true);
      expect(source.header.line).toBe(2);
      expect(header).toEqual(['Name', 'Mobile']);
      expect(records).toEqual([
        { line: 3, cells: ['Asha, Test', '9000012301'] },
      ]);
      expect(source.blankLineCount()).toBe(0);
    }
  });

  test('a forced delimiter wins, and the line is still skipped', async () => {
    const file = await writeCsv('sep=;\nName|Mobile\nAsha|9000012301\n');

    const { source, header } = await readAll(file, { delimiter: '|' });

    expect(source.delimiter).toBe('|');
    expect(header).toEqual(['Name', 'Mobile']);
  });

  test('a file without one says so; "sep=" further down is a cell like any other', async () => {
    const file = await writeCsv('Name,Mobile\nsep=;,9000012301\n');

    const { source, records } = await readAll(file);

    expect(source.hasSeparatorLine).toBe(false);
    expect(records).toEqual([{ line: 2, cells: ['sep=;', '9000012301'] }]);
  });

  test('is read with CR-only line ends too', async () => {
    const file = await writeCsv('sep=;\rName;Mobile\rAsha, Test;9000012301\r');

    const { source, records } = await readAll(file);

    expect(source.delimiter).toBe(';');
    expect(records).toEqual([{ line: 3, cells: ['Asha, Test', '9000012301'] }]);
  });

  test('a delimiter detection would not find is refused: the rejects file could not be read back', async () => {
    const file = await writeCsv('sep=x\nNamexMobile\n');

    await expectUsageError(
      openCsv(file),
      'input.separatorLine',
      /^Line 1, "sep=x", names "x" as the delimiter; astradial reads , ; tab and \| only/,
    );
  });

  test('a sep= line naming a quote is refused with its line', async () => {
    const file = await writeCsv('sep="\nName,Mobile\n');

    await expectUsageError(
      openCsv(file),
      'input.separatorLine',
      /^Line 1, "sep=\"", names/,
    );
  });
});

describe('encodings', () => {
  test('C05 bytes built in a Buffer decode the same from a file', async () => {
    const { source, records } = await readAll(await writeCsv(C05_BYTES));

    expect(source.encoding).toBe('windows-1252');
    expect(records[0]?.cells).toEqual([C05_NAME, '9000012351', C05_REMARKS]);
  });

  test('C05 bytes decode the same from a stream', async () => {
    const { source, records } = await readAll(streamOf(C05_BYTES));

    expect(source.encoding).toBe('windows-1252');
    expect(records[0]?.cells).toEqual([C05_NAME, '9000012351', C05_REMARKS]);
  });

  test('UTF-8 without a BOM keeps its non-ASCII text', async () => {
    const file = await writeCsv('name,city\nJosé Müller,Pune\nअनीता,मुंबई\n');

    const { source, records } = await readAll(file);

    expect(source.encoding).toBe('utf-8');
    expect(records.map((record) => record.cells)).toEqual([
      ['José Müller', 'Pune'],
      ['अनीता', 'मुंबई'],
    ]);
  });

  test("Excel's Unicode Text (UTF-16LE, BOM, tabs) is read", async () => {
    const text =
      'customer_name\tphone_number\tremarks\r\n' +
      `${C05_NAME}\t9000012351\t${C05_REMARKS}\r\n` +
      'Ravi\t9000012352\tcall, after 5 \u{1F600}\r\n';
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text, 'utf16le'),
    ]);

    const { source, header, records } = await readAll(await writeCsv(bytes));

    expect(source.encoding).toBe('utf-16le');
    expect(source.delimiter).toBe('\t');
    expect(header).toEqual(['customer_name', 'phone_number', 'remarks']);
    expect(records).toEqual([
      { line: 2, cells: [C05_NAME, '9000012351', C05_REMARKS] },
      { line: 3, cells: ['Ravi', '9000012352', 'call, after 5 \u{1F600}'] },
    ]);
  });

  test('UTF-16BE with a BOM is read from a stream', async () => {
    const units = Buffer.from('name;city\r\nJosé;Pune\r\n', 'utf16le');
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), units.swap16()]);

    const { source, header, records } = await readAll(streamOf(bytes));

    expect(source.encoding).toBe('utf-16be');
    expect(header).toEqual(['name', 'city']);
    expect(records).toEqual([{ line: 2, cells: ['José', 'Pune'] }]);
  });

  test('UTF-16LE without a BOM is recognised by its NUL bytes', async () => {
    const bytes = Buffer.from('name,city\r\nAsha,Pune\r\n', 'utf16le');

    const { source, header } = await readAll(await writeCsv(bytes));

    expect(source.encoding).toBe('utf-16le');
    expect(header).toEqual(['name', 'city']);
  });

  test('a file is checked as a whole: a bad byte past 1 MB still means Windows-1252', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,phone,city\r\n' + asciiRows(50_000)),
      Buffer.from('Bad D\x92Souza,9999999999,Pune\r\n', 'latin1'),
    ]);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);

    const { source, records } = await readAll(await writeCsv(bytes));

    expect(source.encoding).toBe('windows-1252');
    expect(records.at(-1)).toEqual({
      line: 50_002,
      cells: ['Bad D\u2019Souza', '9999999999', 'Pune'],
    });
  });

  test('characters across file read boundaries (256 KiB, 1 MiB) decode whole', async () => {
    // Put € across the parser's 256 KiB read boundary and 😀 across the
    // 1 MiB boundary of the up-front UTF-8 check.
    const { text, lines } = textWithCharactersAt([
      { offset: 256 * 1024 - 1, character: '€' },
      { offset: 1024 * 1024 - 2, character: '😀' },
    ]);
    const bytes = Buffer.from(text);
    expect(bytes.indexOf('€')).toBe(256 * 1024 - 1);
    expect(bytes.indexOf('😀')).toBe(1024 * 1024 - 2);

    const { source, records } = await readAll(await writeCsv(bytes));

    expect(source.encoding).toBe('utf-8');
    const withCharacters = records.filter((record) =>
      /[€😀]/u.test(record.cells[1] ?? ''),
    );
    expect(withCharacters.map((record) => record.line)).toEqual(lines);
    expect(withCharacters[0]?.cells[1]).toMatch(/^x+€$/);
    expect(withCharacters[1]?.cells[1]).toMatch(/^x+😀$/u);
  });

  test('UTF-8 text before a non-UTF-8 byte is refused as mixed', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,city\r\nJosé,Pune\r\n'),
      Buffer.from('D\x92Souza,Goa\r\n', 'latin1'),
    ]);

    await expectUsageError(
      openCsv(await writeCsv(bytes)),
      'input.mixedEncoding',
      /mixes encodings: it has UTF-8 text before line 3, but line 3 is not valid UTF-8 \(byte 0x92 at byte 24\)\. Save it from Excel as "CSV UTF-8"/,
    );
  });

  test('--encoding utf-8 on a Windows-1252 file fails before any record', async () => {
    await expectUsageError(
      openCsv(casePath('C05-windows-1252.csv'), { encoding: 'utf-8' }),
      'input.invalidEncoding',
      /^Line 2 of .*C05-windows-1252\.csv is not valid UTF-8 \(byte 0x92 at byte 42\)\..*--encoding windows-1252/,
    );
  });

  test('--encoding utf-8 strips a UTF-8 BOM like detection does', async () => {
    const { header } = await readAll(casePath('C01-bom-excel-headers.csv'), {
      encoding: 'utf-8',
    });

    expect(header[0]).toBe('Customer Name');
  });

  test('--encoding that contradicts the BOM is refused', async () => {
    await expectUsageError(
      openCsv(casePath('C01-bom-excel-headers.csv'), {
        encoding: 'windows-1252',
      }),
      'input.encodingMismatch',
      /starts with a UTF-8 byte order mark, but --encoding windows-1252 was given\. Leave out --encoding/,
    );
  });

  test('--encoding utf-16le reads a file without a BOM', async () => {
    const bytes = Buffer.from('name|city\nÅsa|Pune\n', 'utf16le');

    const { records } = await readAll(await writeCsv(bytes), {
      encoding: 'utf-16le',
    });

    expect(records).toEqual([{ line: 2, cells: ['Åsa', 'Pune'] }]);
  });

  test('a byte Windows-1252 does not define is an error, not U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,city\r\nAsha,Pune\r\nRavi,'),
      Buffer.from([0x81]),
      Buffer.from('Goa\r\n'),
    ]);

    const source = await openCsv(await writeCsv(bytes), {
      encoding: 'windows-1252',
    });
    const seen: number[] = [];
    const reading = (async () => {
      for await (const record of source.records) seen.push(record.line);
    })();

    await expectUsageError(
      reading,
      'input.invalidEncoding',
      /^Line 3 of .* has byte 0x81 at byte 27, which Windows-1252 does not define/,
    );
    expect(seen).toEqual([2]);
  });

  test('an encoding name that is not supported is refused', async () => {
    await expectUsageError(
      openCsv(casePath('C01-bom-excel-headers.csv'), {
        encoding: 'latin9' as 'utf-8',
      }),
      'input.encodingInvalid',
      /Encoding "latin9" is not supported\. Use one of: utf-8, utf-16le, utf-16be, windows-1252/,
    );
  });
});

describe('standard input', () => {
  test.each([
    ['64 KiB chunks', 'even'],
    ['a chunk boundary inside the bad line', 'inside'],
  ])(
    'a bad UTF-8 byte after the first MB fails at its line (%s)',
    async (_name, split) => {
      const bytes = Buffer.concat([
        Buffer.from('name,phone,city\r\n' + asciiRows(50_000)),
        Buffer.from('Bad D\x92Souza,9999999999,Pune\r\n', 'latin1'),
        Buffer.from('After,9000000001,Goa\r\n'),
      ]);
      const badOffset = bytes.indexOf(0x92);
      expect(badOffset).toBeGreaterThan(1024 * 1024);
      const chunks =
        split === 'even'
          ? splitEvery(bytes, 65_536)
          : splitAt(bytes, [1024 * 1024 + 10, badOffset - 2]);
      const source = await openCsv(streamOf(...chunks));
      expect(source.encoding).toBe('utf-8');

      const seen: number[] = [];
      const reading = (async () => {
        for await (const record of source.records) seen.push(record.line);
      })();

      await expectUsageError(
        reading,
        'input.invalidEncoding',
        new RegExp(
          `^Line 50002 of standard input is not valid UTF-8 \\(byte 0x92 at byte ${badOffset}\\)\\..*pass --encoding windows-1252`,
        ),
      );
      // Every complete row before the bad line was handed over, in order,
      // and nothing of the bad line itself.
      expect(seen).toHaveLength(50_000);
      expect(seen.at(-1)).toBe(50_001);
    },
  );

  test('a bad UTF-8 byte inside the first MB selects Windows-1252', async () => {
    const bytes = Buffer.concat([
      Buffer.from('name,city\n' + 'Asha,Pune\n'.repeat(1000)),
      Buffer.from('D\x92Souza,Goa\n', 'latin1'),
    ]);

    const { source, records } = await readAll(
      streamOf(...splitEvery(bytes, 1000)),
    );

    expect(source.encoding).toBe('windows-1252');
    expect(records.at(-1)).toEqual({
      line: 1002,
      cells: ['D\u2019Souza', 'Goa'],
    });
  });

  test('characters split across chunks after the first MB decode whole', async () => {
    const filler = 'name,note\r\n' + asciiRows(45_000);
    const tail = 'é,€ 2000\r\n😀,–\r\n';
    const bytes = Buffer.from(filler + tail);
    const prefixEnd = Buffer.byteLength(filler) - 7;
    expect(prefixEnd).toBeGreaterThan(1024 * 1024);
    // Cut inside é (2 bytes), € (3 bytes) and 😀 (4 bytes).
    const euro = bytes.indexOf('€', prefixEnd);
    const smiley = bytes.indexOf('😀', prefixEnd);
    const chunks = splitAt(bytes, [
      prefixEnd,
      prefixEnd + 8,
      euro + 1,
      euro + 2,
      smiley + 3,
    ]);

    const { source, records } = await readAll(streamOf(...chunks));

    expect(source.encoding).toBe('utf-8');
    expect(records.slice(-2)).toEqual([
      { line: 45_002, cells: ['é', '€ 2000'] },
      { line: 45_003, cells: ['😀', '–'] },
    ]);
  });

  test('a stream is read as it is iterated, not all at once', async () => {
    let bytesPulled = 0;
    async function* lazyRows() {
      yield Buffer.from('name,phone,city\r\n');
      for (let batch = 0; batch < 400; batch++) {
        const chunk = Buffer.from(asciiRows(1000, batch * 1000));
        bytesPulled += chunk.length;
        yield chunk;
      }
    }
    const stream = Readable.from(lazyRows());

    const source = await openCsv(stream);
    const afterOpen = bytesPulled;
    const iterator = source.records[Symbol.asyncIterator]();
    for (let count = 0; count < 10; count++) await iterator.next();
    const afterTenRows = bytesPulled;
    await source.close();

    // About 11 MB in all; opening holds at most the 1 MB prefix plus what
    // the stream buffers ahead.
    expect(afterOpen).toBeLessThan(2 * 1024 * 1024);
    expect(afterTenRows).toBeLessThan(2 * 1024 * 1024);
    expect(stream.destroyed).toBe(true);
  });

  test('a stream with only blank lines has no header row', async () => {
    await expectUsageError(
      openCsv(streamOf(Buffer.from('\r\n , \r\n\t\r\n'))),
      'input.empty',
      /^standard input has no header row: it is empty or holds only blank lines\./,
    );
  });
});

describe('paths that are not regular files', () => {
  test.skipIf(process.platform === 'win32')(
    'a named pipe is read once, like standard input',
    async () => {
      const fifo = path.join(path.dirname(await writeCsv('')), 'pipe.csv');
      execFileSync('mkfifo', [fifo]);
      createWriteStream(fifo).end(C05_BYTES);

      const { source, records } = await readAll(fifo);

      expect(source.encoding).toBe('windows-1252');
      expect(records.map((record) => record.cells[0])).toEqual([
        C05_NAME,
        'Ravi Sample',
      ]);
    },
  );
});

describe('delimiters', () => {
  test.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('%j (%s) is detected, and is kept inside quotes', async (delimiter) => {
    const text = [
      ['name', 'phone', 'city'].join(delimiter),
      ['Asha', '9000012301', `"Pune${delimiter} MH"`].join(delimiter),
      ['Ravi', '9000012302', 'Nagpur'].join(delimiter),
    ].join('\r\n');

    const { source, records } = await readAll(await writeCsv(text));

    expect(source.delimiter).toBe(delimiter);
    expect(records).toEqual([
      { line: 2, cells: ['Asha', '9000012301', `Pune${delimiter} MH`] },
      { line: 3, cells: ['Ravi', '9000012302', 'Nagpur'] },
    ]);
  });

  test('semicolons win over the decimal commas of a European export', async () => {
    const text = 'name;budget;city\nAsha;1,5;Pune\nRavi;2,25;Goa\n';

    const { source, records } = await readAll(await writeCsv(text));

    expect(source.delimiter).toBe(';');
    expect(records[0]?.cells).toEqual(['Asha', '1,5', 'Pune']);
  });

  test('a single-column file falls back to a comma', async () => {
    const { source, header, records } = await readAll(
      await writeCsv('phone\nnnnnnnn\n9000012301\n'),
    );

    expect(source.delimiter).toBe(',');
    expect(header).toEqual(['phone']);
    expect(records.map((record) => record.cells)).toEqual([
      ['nnnnnnn'],
      ['9000012301'],
    ]);
  });

  test('--delimiter overrides detection', async () => {
    const { source, header, records } = await readAll(
      await writeCsv('a;b,c\n1;2,3\n'),
      { delimiter: ';' },
    );

    expect(source.delimiter).toBe(';');
    expect(header).toEqual(['a', 'b,c']);
    expect(records[0]?.cells).toEqual(['1', '2,3']);
  });

  test('a delimiter that would make the file ambiguous is refused', async () => {
    await expectUsageError(
      openCsv(casePath('C01-bom-excel-headers.csv'), { delimiter: '"' }),
      'input.delimiterInvalid',
      /Delimiter "\\"" cannot be used/,
    );
  });
});

describe('records and lines', () => {
  test('multi-line quoted cells keep later line numbers physical', async () => {
    const text = [
      'name,notes,city\r\n', // line 1
      'Asha,"first\r\nsecond",Pune\r\n', // lines 2-3
      '\r\n', // line 4, blank
      'Ravi,"a\nb\nc",Nagpur\n', // lines 5-7
      'Meera,"say ""hi""",Indore\r\n', // line 8
      '"Old\rMac",x,y\r\n', // lines 9-10
      ',,\r\n', // line 11, blank
      'Last,z,w', // line 12, no line end
    ].join('');

    const { records, source } = await readAll(await writeCsv(text));

    expect(records).toEqual([
      { line: 2, cells: ['Asha', 'first\r\nsecond', 'Pune'] },
      { line: 5, cells: ['Ravi', 'a\nb\nc', 'Nagpur'] },
      { line: 8, cells: ['Meera', 'say "hi"', 'Indore'] },
      { line: 9, cells: ['Old\rMac', 'x', 'y'] },
      { line: 12, cells: ['Last', 'z', 'w'] },
    ]);
    expect(source.blankLineCount()).toBe(2);
  });

  test('LF, CRLF and CR line ends can be mixed in one file', async () => {
    const { records } = await readAll(
      await writeCsv('a,b\r\n1,2\n3,4\r5,6\r\n'),
    );

    expect(records).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
      { line: 4, cells: ['5', '6'] },
    ]);
  });

  test('blank lines before the header are skipped and counted', async () => {
    const file = await writeCsv('\n ,\u00A0\nname,city\nAsha,Pune\n');
    const source = await openCsv(file);

    expect(source.header).toEqual({ line: 3, cells: ['name', 'city'] });
    expect(await collect(source.records)).toEqual([
      { line: 4, cells: ['Asha', 'Pune'] },
    ]);
    expect(source.blankLineCount()).toBe(2);
  });

  test('cells and headers are never trimmed or cast', async () => {
    const { header, records } = await readAll(
      await writeCsv(' Name ,Mobile\n  Asha , 09876543210\n'),
    );

    expect(header).toEqual([' Name ', 'Mobile']);
    expect(records[0]?.cells).toEqual(['  Asha ', ' 09876543210']);
  });

  test('a stray quote inside a cell is kept as written; text after a closing quote follows the unquoted part, as Excel reads it', async () => {
    const { records } = await readAll(
      await writeCsv('item,size\n12" pipe,large\n"Big" deal,small\n'),
    );

    expect(records).toEqual([
      { line: 2, cells: ['12" pipe', 'large'] },
      { line: 3, cells: ['Big deal', 'small'] },
    ]);
  });

  test('a quote that never closes fails naming the line it opens on', async () => {
    const source = await openCsv(
      await writeCsv('name,city\nAsha,Pune\n"Ravi,Nagpur\nMeera,Indore\n'),
    );
    const seen: number[] = [];
    const reading = (async () => {
      for await (const record of source.records) seen.push(record.line);
    })();

    await expectUsageError(
      reading,
      'input.unclosedQuote',
      /^A quoted cell on line 3 of .*input\.csv is never closed, so everything after it would be read as one cell\. Find the stray " on line 3/,
    );
    expect(seen).toEqual([2]);
  });

  test('an unclosed quote in a big file stops at 4 MiB, not at the end', async () => {
    const text =
      'name,notes\nAsha,"never closed\n' + 'filler line\n'.repeat(400_000);

    const source = await openCsv(await writeCsv(text));

    await expectUsageError(
      collect(source.records),
      'input.recordTooLong',
      /^The record starting on line 2 of .* is longer than 4 MiB/,
    );
  });

  test('a header alone gives no records', async () => {
    const { header, records, source } = await readAll(
      await writeCsv('name,phone\r\n'),
    );

    expect(header).toEqual(['name', 'phone']);
    expect(records).toEqual([]);
    expect(source.blankLineCount()).toBe(0);
  });

  test('close() ends the records early and releases the file', async () => {
    const source = await openCsv(casePath('C07-blank-and-comma-rows.csv'));

    await source.close();

    expect(await collect(source.records)).toEqual([]);
  });
});

describe('unreadable input', () => {
  test.each([
    ['an empty file', ''],
    ['a BOM alone', '\uFEFF'],
    ['blank lines only', '\r\n,,\r\n \t\r\n'],
  ])('%s has no header row', async (_name, content) => {
    await expectUsageError(
      openCsv(await writeCsv(content)),
      'input.empty',
      /has no header row: it is empty or holds only blank lines\. Export the sheet again/,
    );
  });

  test('a missing file says so and how to read standard input', async () => {
    await expectUsageError(
      openCsv('/nonexistent/leads.csv'),
      'input.notFound',
      /^Cannot read \/nonexistent\/leads\.csv: no such file\. Check the path, or pass - to read standard input\.$/,
    );
  });

  test('a folder is refused', async () => {
    const folder = path.dirname(await writeCsv('a,b\n'));

    await expectUsageError(
      openCsv(folder),
      'input.unreadable',
      /^Cannot read .*: it is a folder\. Pass the CSV file inside it\.$/,
    );
  });

  test('an Excel workbook is refused with how to export a CSV', async () => {
    const workbook = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06]);

    await expectUsageError(
      openCsv(await writeCsv(workbook)),
      'input.notCsv',
      /is an Excel workbook \(\.xlsx\) or another ZIP file, not a CSV file\. In Excel, choose File > Save As > "CSV UTF-8/,
    );
  });
});

/**
 * Builds `name,note` rows of ASCII filler so that each character starts at
 * the byte offset asked for. Returns the text and the line of each row.
 */
function textWithCharactersAt(
  targets: { offset: number; character: string }[],
): { text: string; lines: number[] } {
  let text = 'name,note\n';
  let length = text.length;
  let line = 1;
  const lines: number[] = [];
  for (const { offset, character } of targets) {
    const fullRow = 'r,' + 'x'.repeat(97) + '\n';
    while (length + fullRow.length + 10 < offset) {
      text += fullRow;
      length += fullRow.length;
      line += 1;
    }
    const padding = offset - length - 2;
    text += 'r,' + 'x'.repeat(padding) + character + '\n';
    length += 2 + padding + Buffer.byteLength(character) + 1;
    line += 1;
    lines.push(line);
  }
  return { text, lines };
}

function splitEvery(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) {
    chunks.push(bytes.subarray(start, start + size));
  }
  return chunks;
}

function splitAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const bounds = [0, ...offsets, bytes.length];
  return bounds
    .slice(1)
    .map((end, index) => bytes.subarray(bounds[index], end));
}
