import { CsvError, Parser, type Options } from 'csv-parse';

import { UsageError } from '../errors.js';
import { isBlankText } from '../text/invisible.js';

/**
 * One CSV record. `line` is the 1-based physical line it starts on, as an
 * editor shows it; `cells` are as Excel reads them, never trimmed or cast.
 */
export type CsvRecord = { line: number; cells: string[] };

/** What one step of parsing produced: records, then possibly an error. */
export type ParseStep = {
  records: CsvRecord[];
  /** For each record, how many blank records came before it in all. */
  blanksBefore: number[];
  error?: UsageError;
};

/**
 * Excel caps a cell at 32,767 characters, so a record past 4 MiB is almost
 * always a quote that never closes and is swallowing the rest of the file.
 * The cap also keeps memory bounded in that case.
 */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Drives csv-parse one decoded chunk at a time and turns its arrays into
 * CsvRecords with physical line numbers, skipping and counting blank ones.
 *
 * Malformed quotes are recovered per record: with `relax_quotes`, a quote in
 * the middle of a cell (`12" pipe`) stays in the cell as written, and text
 * after a closing quote follows the quoted part (see readQuotedStartAsExcel);
 * the caller can reject that row on its content.
 * Only a quote that never closes cannot be recovered, because it swallows
 * every later line: that becomes a UsageError naming the line it opens on.
 * Records with more or fewer cells than the header come through unchanged
 * (`relax_column_count`); rejecting them is the caller's job.
 */
export class RecordParser {
  readonly #parser: CellsParser;
  readonly #sourceName: string;
  #records: CsvRecord[] = [];
  #blanksBefore: number[] = [];
  #nextLine = 1;
  #parserLine = 0;
  #blankCount = 0;
  #endsAtLineBreak = true;
  #lastWasBlank = false;

  constructor(delimiter: string, sourceName: string) {
    this.#sourceName = sourceName;
    this.#parser = new CellsParser(
      {
        delimiter,
        quote: '"',
        escape: '"',
        // Listing all three accepts files that mix line ends; csv-parse's
        // discovery would lock onto the first one it sees.
        record_delimiter: ['\r\n', '\n', '\r'],
        // The BOM is removed before decoding, whatever the encoding.
        bom: false,
        relax_column_count: true,
        relax_quotes: true,
        // Blank lines come through as records so that line numbers stay
        // exact; they are counted and dropped in #accept. csv-parse's own
        // option misses lines of spaces and `,,,,` rows anyway
        // (https://github.com/adaltas/node-csv-parse/issues/308, #107).
        skip_empty_lines: false,
        max_record_size: MAX_RECORD_BYTES,
      },
      (cells) => this.#accept(cells),
    );
  }

  /** Blank records parsed so far, which may run ahead of those handed out. */
  get blankCount(): number {
    return this.#blankCount;
  }

  /** Parses a chunk of UTF-8 bytes. */
  parse(chunk: Buffer): ParseStep {
    if (chunk.length === 0) return this.#takeStep(undefined);
    const lastByte = chunk[chunk.length - 1];
    this.#endsAtLineBreak =
      lastByte === LINE_FEED || lastByte === CARRIAGE_RETURN;

    let failure: Error | null | undefined;
    // HACK: csv-parse has no push-style API short of its Transform stream.
    // Calling the stream's own _transform keeps everything synchronous and
    // in order, with no object-mode stream or on_record context object per
    // row (on_record nearly doubled the time per row in a 1M-row test).
    this.#parser._transform(chunk, 'utf8', (error) => (failure = error));
    return this.#takeStep(failure);
  }

  /** Parses what remains at the end of the input. */
  finish(): ParseStep {
    let failure: Error | null | undefined;
    this.#parser._flush((error) => (failure = error));
    return this.#takeStep(failure);
  }

  /**
   * Ends parsing early, after the input turned out to be unreadable, and
   * returns the complete records still held. If the input fed so far stops
   * mid-line, the last record the flush produces is that line cut short,
   * so it is dropped.
   */
  finishEarly(): ParseStep {
    const step = this.finish();
    if (this.#endsAtLineBreak || step.error) return step;
    if (this.#lastWasBlank) {
      this.#blankCount -= 1;
      return step;
    }
    return {
      records: step.records.slice(0, -1),
      blanksBefore: step.blanksBefore.slice(0, -1),
    };
  }

  #takeStep(failure: Error | null | undefined): ParseStep {
    const step: ParseStep = {
      records: this.#records,
      blanksBefore: this.#blanksBefore,
    };
    this.#records = [];
    this.#blanksBefore = [];
    if (failure) step.error = this.#toUsageError(failure);
    return step;
  }

  #accept(cells: string[]): void {
    // csv-parse's line count is where the record ends; a single-line record
    // moves it by exactly one. It counts a CRLF inside quotes twice (seen in
    // csv-parse 7.0.3), so records spanning lines are counted from their
    // cells instead.
    const parserLine = this.#parser.info.lines;
    const line = this.#nextLine;
    const isSingleLine = parserLine - this.#parserLine === 1;
    this.#nextLine += isSingleLine ? 1 : 1 + countLineBreaks(cells);
    this.#parserLine = parserLine;

    this.#lastWasBlank = isBlankRecord(cells);
    if (this.#lastWasBlank) {
      this.#blankCount += 1;
      return;
    }
    this.#records.push({ line, cells });
    this.#blanksBefore.push(this.#blankCount);
  }

  #toUsageError(error: Error): UsageError {
    const line = this.#nextLine;
    const where = `line ${line} of ${this.#sourceName}`;
    const fix = `Find the stray " on line ${line}: close the quote, or write a quote inside a quoted cell as "".`;
    const code = error instanceof CsvError ? error.code : undefined;

    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return new UsageError(
        'input.unclosedQuote',
        `A quoted cell on ${where} is never closed, so everything after it would be read as one cell. ${fix}`,
        { cause: error },
      );
    }
    if (code === 'CSV_MAX_RECORD_SIZE') {
      return new UsageError(
        'input.recordTooLong',
        `The record starting on ${where} is longer than 4 MiB, which almost always means a quote opened there is never closed. ${fix}`,
        { cause: error },
      );
    }
    return new UsageError(
      'input.malformed',
      `The record starting on ${where} could not be read as CSV (${error.message}). Check that line, or export the file again.`,
      { cause: error },
    );
  }
}

/** The parts of csv-parse's parsing state that CellsParser reads. */
type ParseApi = {
  state: { field: FieldBuffer };
  __onField(): unknown;
};
type FieldBuffer = {
  buf: Buffer;
  length: number;
  prepend(value: Buffer): void;
};

/**
 * csv-parse's Transform calls `this.push(record)` for every record while
 * `_transform` runs. Overriding push hands each record over synchronously,
 * while `info.lines` still describes that record.
 */
class CellsParser extends Parser {
  readonly #receive: (cells: string[]) => void;

  constructor(options: Options, receive: (cells: string[]) => void) {
    super(options);
    this.#receive = receive;
    readQuotedStartAsExcel((this as unknown as { api: ParseApi }).api);
  }

  override push(record: unknown): boolean {
    if (record !== null) this.#receive(record as string[]);
    return true;
  }
}

/**
 * A cell that opens with a quoted part and goes on after its closing quote
 * (`"Ravi Sample" ,` or `"5" 10"`) is read as Excel and Python read it:
 * the quoted part without its quotes, then the rest (`Ravi Sample `,
 * `5 10"`). With `relax_quotes`, csv-parse keeps it as written instead,
 * quotes and all, and a name would reach AstraDial with quote marks in it
 * (adaltas/node-csv-parse#36). csv-parse marks that moment by putting the
 * opening quote back in front of the cell's text (`prepend`), then adds
 * the closing quote and the rest; the two quotes are taken out again when
 * the cell ends. This reads csv-parse's internal state, which the
 * lockfile pins (7.0.3) and record-parser.test.ts covers.
 */
function readQuotedStartAsExcel(api: ParseApi): void {
  const field = api.state.field;
  const prepend = field.prepend.bind(field);
  /** Bytes of the quoted part when the opening quote was put back. */
  let quotedBytes = -1;
  field.prepend = (value) => {
    quotedBytes = field.length;
    prepend(value);
  };
  const onField = api.__onField.bind(api);
  api.__onField = () => {
    if (quotedBytes >= 0) {
      // Out with the closing quote, after the quoted part, then the opening one.
      const { buf } = field;
      buf.copyWithin(quotedBytes + 1, quotedBytes + 2, field.length);
      buf.copyWithin(0, 1, field.length - 1);
      field.length -= 2;
      quotedBytes = -1;
    }
    return onField();
  };
}

/**
 * Blank means every cell is empty, whitespace or invisible characters: empty
 * lines, `,,,,` rows, lines of spaces and tabs, cleared Excel rows.
 */
function isBlankRecord(cells: string[]): boolean {
  for (let index = 0; index < cells.length; index++) {
    if (!isBlankCell(cells[index]!)) return false;
  }
  return true;
}

function isBlankCell(cell: string): boolean {
  if (cell.length === 0) return true;
  // Most rows start with a visible ASCII character; skip the regex for them.
  const code = cell.charCodeAt(0);
  if (code > 0x20 && code < 0x7f) return false;
  return isBlankText(cell);
}

/** Counts CRLF, LF and CR alike as one line break each. */
function countLineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let index = 0; index < cell.length; index++) {
      const code = cell.charCodeAt(index);
      const isLoneReturn =
        code === CARRIAGE_RETURN && cell.charCodeAt(index + 1) !== LINE_FEED;
      if (code === LINE_FEED || isLoneReturn) count += 1;
    }
  }
  return count;
}
