import { describeJsonError, excerptOf } from './describe-json-error.js';
import { formatByteSize } from './format-byte-size.js';
import { JsonShapeScanner } from './json-shape-scanner.js';
import type { RawRecord } from './raw-record.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_BRACE = 0x7b;
/** Enough bytes for an 80-character excerpt even of 4-byte characters. */
const EXCERPT_BYTES = 400;
const BLANK = /^[ \t\r]*$/;

/** A line over the limit, being passed over until its line end. */
type SkippedLine = { line: number; excerpt: string };

/**
 * Turns NDJSON bytes, chunk by chunk, into one record per non-blank line.
 * A chunk is cut at its last line feed and the complete lines before it
 * are decoded as one string, which is faster than decoding each line; a
 * line feed byte never occurs inside a UTF-8 character, so no character
 * is split. The unfinished tail waits for the next chunk, but never more
 * than `maxLineBytes` of it: a longer line is reported and passed over.
 */
export class NdjsonSplitter {
  /** Lines completed so far, which is the number of the last one. */
  private lineNumber = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipped: SkippedLine | undefined;

  constructor(
    private readonly file: string,
    private readonly maxLineBytes: number,
  ) {}

  /** The records of the lines this chunk completes, in order. */
  push(chunk: Buffer): RawRecord[] {
    const records: RawRecord[] = [];
    let start = 0;
    if (this.pendingBytes > 0 || this.skipped) {
      const lineFeed = chunk.indexOf(LINE_FEED);
      if (lineFeed === -1) {
        this.hold(chunk);
        return records;
      }
      this.completePendingLine(chunk.subarray(0, lineFeed), records);
      start = lineFeed + 1;
    }

    const lastLineFeed = chunk.lastIndexOf(LINE_FEED);
    if (lastLineFeed >= start) {
      const text = chunk.toString('utf8', start, lastLineFeed + 1);
      this.parseLines(text, records);
    }
    this.hold(chunk.subarray(Math.max(start, lastLineFeed + 1)));
    return records;
  }

  /** The record of a last line that has no line end, if there is one. */
  finish(): RawRecord[] {
    if (this.skipped) {
      this.lineNumber++;
      return [this.tooLongRecord(this.skipped)];
    }
    if (this.pendingBytes === 0) return [];

    const bytes = this.takePending();
    this.lineNumber++;
    const text = withoutCarriageReturn(bytes.toString('utf8'));
    if (BLANK.test(text)) return [];
    try {
      return [this.valueRecord(JSON.parse(text))];
    } catch (error) {
      if (isUnfinishedJson(bytes)) {
        return [
          {
            type: 'cutShort',
            location: this.location(),
            excerpt: excerptOf(text),
          },
        ];
      }
      return [this.notJsonRecord(error, text)];
    }
  }

  /** The line made of the held bytes and the start of this chunk. */
  private completePendingLine(rest: Buffer, records: RawRecord[]): void {
    if (!this.skipped && this.pendingBytes + rest.length > this.maxLineBytes) {
      this.skipped = this.startSkipping(rest);
    }
    this.lineNumber++;
    if (this.skipped) {
      records.push(this.tooLongRecord(this.skipped));
      this.skipped = undefined;
      return;
    }
    this.pending.push(rest);
    const line = this.takePending().toString('utf8');
    this.parseLine(line, 0, line.length, records);
  }

  /**
   * Parses every line in `text`, which ends with a line feed. This loop
   * runs once per line of the input, so it avoids anything per line that
   * is not needed: no promise, no copy beyond the slice JSON.parse reads.
   */
  private parseLines(text: string, records: RawRecord[]): void {
    let position = 0;
    let lineFeed = text.indexOf('\n');
    while (lineFeed !== -1) {
      this.lineNumber++;
      this.parseLine(text, position, lineFeed, records);
      position = lineFeed + 1;
      lineFeed = text.indexOf('\n', position);
    }
  }

  private parseLine(
    text: string,
    start: number,
    end: number,
    records: RawRecord[],
  ): void {
    if (
      end - start > this.maxLineBytes / 3 &&
      this.isTooLong(text, start, end)
    ) {
      const head = text.slice(start, start + EXCERPT_BYTES);
      const excerpt = excerptOf(head, false);
      records.push(this.tooLongRecord({ line: this.lineNumber, excerpt }));
      return;
    }
    const line =
      text.charCodeAt(end - 1) === CARRIAGE_RETURN
        ? text.slice(start, end - 1)
        : text.slice(start, end);
    if (line.charCodeAt(0) !== OPEN_BRACE && BLANK.test(line)) return;
    try {
      records.push(this.valueRecord(JSON.parse(line)));
    } catch (error) {
      records.push(this.notJsonRecord(error, line));
    }
  }

  /** The limit is in bytes, and a character takes one to four of them. */
  private isTooLong(text: string, start: number, end: number): boolean {
    if (end - start > this.maxLineBytes) return true;
    return Buffer.byteLength(text.slice(start, end)) > this.maxLineBytes;
  }

  /**
   * Keeps an unfinished line's bytes for the next chunk, or, once they
   * pass the limit, only its start for the excerpt.
   */
  private hold(bytes: Buffer): void {
    if (bytes.length === 0 || this.skipped) return;
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      this.skipped = this.startSkipping(bytes);
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private startSkipping(next: Buffer): SkippedLine {
    const head = this.pending[0] ?? next;
    this.pending = [];
    this.pendingBytes = 0;
    const text = head.toString('utf8', 0, EXCERPT_BYTES);
    return { line: this.lineNumber + 1, excerpt: excerptOf(text, false) };
  }

  private takePending(): Buffer {
    const bytes =
      this.pending.length === 1
        ? this.pending[0]!
        : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private location(): { file: string; line: number } {
    return { file: this.file, line: this.lineNumber };
  }

  private valueRecord(value: unknown): RawRecord {
    return { type: 'value', location: this.location(), value };
  }

  private notJsonRecord(error: unknown, line: string): RawRecord {
    return {
      type: 'notJson',
      location: this.location(),
      message: describeJsonError(error, line, {
        line: this.lineNumber,
        column: 1,
        isOneLine: true,
      }),
      excerpt: excerptOf(line),
    };
  }

  private tooLongRecord(skipped: SkippedLine): RawRecord {
    const limit = formatByteSize(this.maxLineBytes);
    return {
      type: 'notJson',
      location: { file: this.file, line: skipped.line },
      message: `The line is longer than the ${limit} limit for one record, so it was not read`,
      excerpt: skipped.excerpt,
    };
  }
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function isUnfinishedJson(bytes: Buffer): boolean {
  const scanner = new JsonShapeScanner();
  scanner.take(bytes);
  return scanner.isUnfinished;
}
