import { JsonShapeScanner } from './json-shape-scanner.js';
import {
  detectNotUtf8Input,
  NOT_UTF8_SAMPLE_BYTES,
  type NotUtf8Input,
} from './not-utf8-input.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * How an input is laid out. A `document` is read whole: it starts with
 * `[`, or with `{` on a line that leaves the object open, as a pretty
 * printed one does (one value, or several one after another). Input that
 * starts with `{` on a line that closes but is not JSON alone is
 * `documentOrNdjson`: values glued on one line (`{…}{…}`) look like that,
 * and so does NDJSON whose first line is broken.
 */
export type InputFormat = 'ndjson' | 'document' | 'documentOrNdjson';

export type SniffedInput = {
  format: InputFormat;
  /** The bytes read to decide, without the BOM; read them first. */
  head: Buffer;
  /** 1-based line of the first character that is not white space. */
  firstLine: number;
  /** True when that character is `{`. */
  startsWithObject: boolean;
  /** Set when the input is not UTF-8 text, and cannot be read as it is. */
  notUtf8?: NotUtf8Input;
};

/**
 * Reads just enough of an input to tell its format, without reading it
 * twice (standard input cannot be): past a UTF-8 BOM and blank lines to
 * the first character, and for `{` to the end of that line, which decides
 * between NDJSON (the line is JSON by itself) and a document. Holding
 * more than `maxBytes` undecided means a line too long to be anything but
 * NDJSON's problem, so it is read as NDJSON. The first bytes (up to 64,
 * or to the first line end) also tell UTF-16 and gzip from UTF-8.
 */
export async function sniffFormat(
  chunks: AsyncIterator<Buffer>,
  maxBytes: number,
): Promise<SniffedInput> {
  const sniffer = new FormatSniffer();
  while (!sniffer.isDecided && sniffer.size <= maxBytes) {
    const step = await chunks.next();
    if (step.done) return sniffer.result(true);
    sniffer.take(step.value);
  }
  return sniffer.result(false);
}

class FormatSniffer {
  size = 0;
  private format: InputFormat | undefined;
  private notUtf8: NotUtf8Input | undefined;
  private isEncodingChecked = false;
  private parts: Buffer[] = [];
  private isBomSettled = false;
  private scanned = 0;
  private line = 1;
  private firstOffset: number | undefined;
  private firstByte: number | undefined;

  get isDecided(): boolean {
    if (this.notUtf8 !== undefined) return true;
    return this.isEncodingChecked && this.format !== undefined;
  }

  take(chunk: Buffer): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (!this.isBomSettled) {
      if (this.size < UTF8_BOM.length) return;
      this.settleBom();
    }
    // A line end is enough to go on: waiting for 64 bytes would hold
    // back the first record of a short capture streamed to stdin. Until
    // then the head is small, so looking through it again costs little.
    if (
      !this.isEncodingChecked &&
      (this.size >= NOT_UTF8_SAMPLE_BYTES || this.head().includes(LINE_FEED))
    ) {
      this.checkEncoding();
    }
    if (this.notUtf8 === undefined) this.scan();
  }

  /**
   * What was decided, or NDJSON when the input ran long undecided. When
   * the input `isEnded` on its first line, that line decides as if it
   * had a line end, but one that leaves an object open is NDJSON: a
   * capture's only line, still being written.
   */
  result(isEnded: boolean): SniffedInput {
    if (!this.isBomSettled) {
      this.settleBom();
      this.scan();
    }
    if (!this.isEncodingChecked) this.checkEncoding();
    if (this.format === undefined && isEnded && this.isObjectFirst) {
      const format = this.objectLineFormat(this.size);
      this.format = format === 'document' ? 'ndjson' : format;
    }
    const sniffed: SniffedInput = {
      format: this.format ?? 'ndjson',
      head: this.head(),
      firstLine: this.line,
      startsWithObject: this.isObjectFirst,
    };
    if (this.notUtf8 !== undefined) sniffed.notUtf8 = this.notUtf8;
    return sniffed;
  }

  private get isObjectFirst(): boolean {
    return this.firstByte === OPEN_BRACE;
  }

  private settleBom(): void {
    const head = this.head();
    const hasBom = head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM);
    this.parts = [hasBom ? head.subarray(UTF8_BOM.length) : head];
    this.size = this.parts[0]!.length;
    this.isBomSettled = true;
  }

  private checkEncoding(): void {
    const sample = this.head().subarray(0, NOT_UTF8_SAMPLE_BYTES);
    this.notUtf8 = detectNotUtf8Input(sample);
    this.isEncodingChecked = true;
  }

  /** Goes over the newest chunk only, so a long head is scanned once. */
  private scan(): void {
    const chunk = this.parts.at(-1);
    if (chunk === undefined) return;
    const chunkStart = this.size - chunk.length;
    let index = Math.max(0, this.scanned - chunkStart);
    if (this.firstOffset === undefined) {
      index = this.findFirstCharacter(chunk, index, chunkStart);
    }
    if (this.firstOffset !== undefined && this.format === undefined) {
      const lineFeed = chunk.indexOf(LINE_FEED, index);
      if (lineFeed !== -1) {
        this.format = this.objectLineFormat(chunkStart + lineFeed);
      }
    }
    this.scanned = this.size;
  }

  private findFirstCharacter(
    chunk: Buffer,
    from: number,
    chunkStart: number,
  ): number {
    for (let index = from; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === LINE_FEED) {
        this.line++;
      } else if (!isWhiteSpace(byte)) {
        this.firstOffset = chunkStart + index;
        this.firstByte = byte;
        if (byte !== OPEN_BRACE) {
          this.format = byte === OPEN_BRACKET ? 'document' : 'ndjson';
        }
        return index + 1;
      }
    }
    return chunk.length;
  }

  /**
   * NDJSON when the first line is JSON by itself. A line that leaves an
   * object or array open cannot be an NDJSON line, which is complete by
   * definition: it starts a document. A line that closes but is broken
   * may be either.
   */
  private objectLineFormat(lineEnd: number): InputFormat {
    const line = this.head().subarray(this.firstOffset, lineEnd);
    if (isJson(line.toString('utf8'))) return 'ndjson';
    const shape = new JsonShapeScanner();
    shape.take(line);
    return shape.isStructureOpen ? 'document' : 'documentOrNdjson';
  }

  private head(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0] ?? Buffer.alloc(0);
  }
}

function isWhiteSpace(byte: number): boolean {
  return byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
