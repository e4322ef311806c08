import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, expect } from 'vitest';

import { UsageError } from '../../src/errors.js';
import {
  openCsv,
  type CsvReadOptions,
  type CsvRecord,
  type CsvSource,
} from '../../src/csv/read-csv.js';

export const CASES_DIRECTORY = '/work/shared/cases/inputs';

/** Writes files into a temp directory that is removed after each test. */
export function useCsvFiles(): (content: string | Buffer) => Promise<string> {
  const directories: string[] = [];
  afterEach(async () => {
    await Promise.all(
      directories
        .splice(0)
        .map((directory) => rm(directory, { recursive: true, force: true })),
    );
  });
  return async (content) => {
    const directory = await mkdtemp(path.join(tmpdir(), 'astradial-csv-'));
    directories.push(directory);
    const file = path.join(directory, 'input.csv');
    await writeFile(file, content);
    return file;
  };
}

/**
 * A stream that hands over exactly these chunks, one read each. (Byte mode
 * would merge chunks that are buffered together, hiding the boundaries that
 * some tests are about.)
 */
export function streamOf(...chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

export async function collect(
  records: AsyncIterable<CsvRecord>,
): Promise<CsvRecord[]> {
  const collected: CsvRecord[] = [];
  for await (const record of records) collected.push(record);
  return collected;
}

export type ReadResult = {
  source: CsvSource;
  header: string[];
  records: CsvRecord[];
};

/** Opens an input and reads every record. */
export async function readAll(
  input: string | NodeJS.ReadableStream,
  options?: CsvReadOptions,
): Promise<ReadResult> {
  const source = await openCsv(input, options);
  const records = await collect(source.records);
  return { source, header: source.header.cells, records };
}

/** Asserts a UsageError with exit code 2, the given code and message. */
export async function expectUsageError(
  action: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<UsageError> {
  const error = await action.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(UsageError);
  const usageError = error as UsageError;
  expect(usageError.exitCode).toBe(2);
  expect(usageError.code).toBe(code);
  expect(usageError.message).toMatch(message);
  return usageError;
}

/** ASCII rows `name N,900000NNNN,City` with CRLF ends, `count` of them. */
export function asciiRows(count: number, firstNumber = 0): string {
  let text = '';
  for (let index = 0; index < count; index++) {
    const number = firstNumber + index;
    text += `Name ${number},9${String(number).padStart(9, '0')},City\r\n`;
  }
  return text;
}
