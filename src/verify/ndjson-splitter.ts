import { isUtf8 } from 'node:buffer';

import { describeJsonError, excerptOf } from './describe-json-error.js';
import { JsonShapeScanner } from './json-shape-scanner.js';
import {
  countLines,
  EXCERPT_BYTES,
  notUtf8Record,
  tooLongRecord,
  type LineRun,
} from './parse-line-run.js';
import { parseValueRecord, type RawRecord } from './raw-record.js';

const LINE_FEED = 0x0a;
const LINE_FEED_BYTE = Buffer.from([LINE_FEED]);
const BLANK = /^[ \t\r]*$/;

/** What a chunk completes: runs of whole lines, and lines over the limit. */
export type SplitPiece = LineRun | RawRecord;

/** A line over the limit, being passed over until its line end. */
type SkippedLine = { line: number; excerpt: string };

/**
 * Cuts NDJSON bytes, chunk by chunk, into runs of complete lines (parsed
 * by parseLineRun, here or in a worker thread). A chunk is cut at its last
 * line feed and the complete lines before it are decoded as one string,
 * which is faster than decoding each line; a line feed byte never occurs
 * inside a UTF-8 character, so no character is split. The unfinished tail
 * waits for the next chunk, but never more than `maxLineBytes` of it: a
 * longer line is reported and passed over.
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

  /** The lines this chunk completes, in order. */
  push(chunk: Buffer): SplitPiece[] {
    const pieces: SplitPiece[] = [];
    let start = 0;
    if (this.pendingBytes > 0 || this.skipped) {
      const lineFeed = chunk.indexOf(LINE_FEED);
      if (lineFeed === -1) {
        this.hold(chunk);
        return pieces;
      }
      pieces.push(this.completePendingLine(chunk.subarray(0, lineFeed)));
      start = lineFeed + 1;
    }

    const lastLineFeed = chunk.lastIndexOf(LINE_FEED);
    if (lastLineFeed >= start) {
      pieces.push(this.runOf(chunk.subarray(start, lastLineFeed + 1)));
    }
    this.hold(chunk.subarray(Math.max(start, lastLineFeed + 1)));
    return pieces;
  }

  /** The record of a last line that has no line end, if there is one. */
  finish(): RawRecord[] {
    if (this.skipped) {
      this.lineNumber++;
      const { line, excerpt } = this.skipped;
      return [
        tooLongRecord({ file: this.file, line }, excerpt, this.maxLineBytes),
      ];
    }
    if (this.pendingBytes === 0) return [];

    const bytes = this.takePending();
    this.lineNumber++;
    if (!isUtf8(bytes))
      return [notUtf8Record(this.file, this.lineNumber, bytes)];
    const text = withoutCarriageReturn(bytes.toString('utf8'));
    if (BLANK.test(text)) return [];
    try {
      return [parseValueRecord(text, this.location())];
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
  private completePendingLine(rest: Buffer): SplitPiece {
    if (!this.skipped && this.pendingBytes + rest.length > this.maxLineBytes) {
      this.skipped = this.startSkipping(rest);
    }
    if (this.skipped) {
      const { line, excerpt } = this.skipped;
      this.lineNumber++;
      this.skipped = undefined;
      return tooLongRecord(
        { file: this.file, line },
        excerpt,
        this.maxLineBytes,
      );
    }
    this.pending.push(rest, LINE_FEED_BYTE);
    return this.runOf(this.takePending());
  }

  /** The run of `bytes`, whole lines numbered from the next line on. */
  private runOf(bytes: Buffer): LineRun {
    const firstLine = this.lineNumber + 1;
    this.lineNumber += countLines(bytes);
    return {
      type: 'lines',
      file: this.file,
      firstLine,
      bytes,
      maxLineBytes: this.maxLineBytes,
    };
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
}

function withoutCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function isUnfinishedJson(bytes: Buffer): boolean {
  const scanner = new JsonShapeScanner();
  scanner.take(bytes);
  return scanner.isUnfinished;
}
