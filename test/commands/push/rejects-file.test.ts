import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  isRejectsHeader,
  RejectsFile,
  restoreDefusedCell,
} from '../../../src/commands/push/rejects-file.js';
import { useTempDirectories } from '../../helpers/temp-directory.js';

const makeDirectory = useTempDirectories();

describe('RejectsFile', () => {
  test('writes BOM, CRLF, reason columns first and quotes what needs it', async () => {
    const file = path.join(await makeDirectory(), 'r.csv');
    const rejects = new RejectsFile(file, ['Name', 'Notes'], ',');

    await rejects.add(3, ['A "B"', 'x,y\nz'], 'phone_missing', 'No phone.');
    await rejects.add(
      9,
      ['=HYPERLINK("x")', '+91 98765', '-1', '@a', 'extra'],
      'column_count',
      '5 cells, header has 2',
    );
    await rejects.close();

    expect(await readFile(file, 'utf8')).toBe(
      '\uFEFFastradial_line,astradial_reason,astradial_detail,Name,Notes\r\n' +
        '3,phone_missing,No phone.,"A ""B""","x,y\nz"\r\n' +
        `9,column_count,"5 cells, header has 2","'=HYPERLINK(""x"")",'+91 98765,'-1,'@a,extra\r\n`,
    );
    expect(rejects.count).toBe(2);
  });

  test('uses the input delimiter', async () => {
    const file = path.join(await makeDirectory(), 'r.csv');
    const rejects = new RejectsFile(file, ['Name'], ';');
    await rejects.add(2, ['a;b'], 'name_missing', 'x');
    await rejects.close();
    expect(await readFile(file, 'utf8')).toContain(
      '2;name_missing;x;"a;b"\r\n',
    );
  });

  test('creates no file when nothing was rejected', async () => {
    const file = path.join(await makeDirectory(), 'r.csv');
    await new RejectsFile(file, ['Name'], ',').close();
    expect(existsSync(file)).toBe(false);
  });

  test('an unwritable path fails with the path in the message', async () => {
    const file = path.join(await makeDirectory(), 'missing-folder', 'r.csv');
    const rejects = new RejectsFile(file, ['Name'], ',');
    await rejects.add(2, ['a'], 'name_missing', 'x');
    await expect(rejects.close()).rejects.toThrow(/r\.csv/);
  });
});

describe('reading a rejects file back', () => {
  test('recognises the header and undoes the defusing apostrophe only', () => {
    expect(
      isRejectsHeader([
        'astradial_line',
        'astradial_reason',
        'astradial_detail',
        'Name',
      ]),
    ).toBe(true);
    expect(isRejectsHeader(['Name', 'astradial_line'])).toBe(false);
    expect(restoreDefusedCell("'=1+2")).toBe('=1+2');
    expect(restoreDefusedCell("'+91 98765")).toBe('+91 98765');
    expect(restoreDefusedCell("'quoted'")).toBe("'quoted'");
  });
});
