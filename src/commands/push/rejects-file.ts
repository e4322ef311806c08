import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

import { REJECTS_FILE_COLUMNS } from '../../leads/header-mapping.js';

const FLUSH_BYTES = 64 * 1024;

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV
 * injection). The rejects file prefixes such cells with an apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const DEFUSED_FORMULA_START = /^'[=+\-@\t\r]/;

/**
 * Writes rows that were not delivered to a CSV that opens in Excel and can
 * be fixed and pushed again: UTF-8 with a byte order mark, CRLF line ends,
 * the input's delimiter, the reason columns first and then the row's cells
 * exactly as read (so a row with too many cells keeps all of them).
 * The file is created on the first reject only.
 */
export class RejectsFile {
  readonly path: string;
  #header: string[];
  #delimiter: string;
  #stream: WriteStream | undefined;
  #error: Error | undefined;
  #pending = '';
  #count = 0;

  constructor(path: string, header: string[], delimiter: string) {
    this.path = path;
    this.#header = header;
    this.#delimiter = delimiter;
  }

  get count(): number {
    return this.#count;
  }

  /** Appends one row. Await it: it waits while the disk catches up. */
  async add(
    line: number,
    cells: string[],
    reason: string,
    detail: string,
  ): Promise<void> {
    if (this.#count === 0) {
      this.#pending += `\uFEFF${this.#formatRow([...REJECTS_FILE_COLUMNS, ...this.#header])}`;
    }
    this.#count += 1;
    this.#pending += this.#formatRow([String(line), reason, detail, ...cells]);
    if (this.#pending.length >= FLUSH_BYTES) await this.#flush();
  }

  /** Writes what is buffered and closes the file, if one was opened. */
  async close(): Promise<void> {
    await this.#flush();
    if (!this.#stream) return;
    this.#stream.end();
    await once(this.#stream, 'finish');
    if (this.#error) throw this.#error;
  }

  async #flush(): Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#pending === '') return;
    this.#stream ??= this.#open();
    const chunk = this.#pending;
    this.#pending = '';
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }

  #open(): WriteStream {
    const stream = createWriteStream(this.path, { encoding: 'utf8' });
    stream.on('error', (error) => {
      this.#error = new Error(
        `Could not write the rejects file ${this.path}: ${error.message}`,
        { cause: error },
      );
    });
    return stream;
  }

  #formatRow(cells: readonly string[]): string {
    return `${cells.map((cell) => this.#formatCell(cell)).join(this.#delimiter)}\r\n`;
  }

  #formatCell(cell: string): string {
    const safe = FORMULA_START.test(cell) ? `'${cell}` : cell;
    const needsQuotes =
      safe.includes(this.#delimiter) ||
      safe.includes('"') ||
      safe.includes('\n') ||
      safe.includes('\r');
    return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
  }
}

/** True when a header is that of a rejects file written by RejectsFile. */
export function isRejectsHeader(header: readonly string[]): boolean {
  return REJECTS_FILE_COLUMNS.every(
    (column, index) => header[index] === column,
  );
}

/**
 * Removes the apostrophe RejectsFile put before formula-like cells, so a
 * fixed rejects file sends the same values as the original export.
 */
export function restoreDefusedCell(cell: string): string {
  return DEFUSED_FORMULA_START.test(cell) ? cell.slice(1) : cell;
}
