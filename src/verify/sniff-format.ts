const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * How an input is laid out. `documentOrNdjson` starts with an object that
 * does not end on its line: most likely one pretty-printed object, but
 * NDJSON whose first line is broken starts the same way.
 */
export type InputFormat = 'ndjson' | 'document' | 'documentOrNdjson';

export type SniffedInput = {
  format: InputFormat;
  /** The bytes read to decide, without the BOM; read them first. */
  head: Buffer;
  /** 1-based line of the first character that is not white space. */
  firstLine: number;
};

/**
 * Reads just enough of an input to tell its format, without reading it
 * twice (standard input cannot be): past a UTF-8 BOM and blank lines to
 * the first character, and for `{` to the end of that line, which decides
 * between NDJSON (the line is JSON by itself) and a document. Holding
 * more than `maxBytes` undecided means a line too long to be anything but
 * NDJSON's problem, so it is read as NDJSON.
 */
export async function sniffFormat(
  chunks: AsyncIterator<Buffer>,
  maxBytes: number,
): Promise<SniffedInput> {
  const sniffer = new FormatSniffer();
  while (sniffer.format === undefined && sniffer.size <= maxBytes) {
    const step = await chunks.next();
    if (step.done) break;
    sniffer.take(step.value);
  }
  return sniffer.result();
}

class FormatSniffer {
  format: InputFormat | undefined;
  size = 0;
  private parts: Buffer[] = [];
  private isBomSettled = false;
  private scanned = 0;
  private line = 1;
  private firstOffset: number | undefined;

  take(chunk: Buffer): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (!this.isBomSettled) {
      if (this.size < UTF8_BOM.length) return;
      this.settleBom();
    }
    this.scan();
  }

  /** What was decided, or NDJSON when the input ended (or ran long). */
  result(): SniffedInput {
    if (!this.isBomSettled) {
      this.settleBom();
      this.scan();
    }
    if (this.format === undefined) this.format = 'ndjson';
    return { format: this.format, head: this.head(), firstLine: this.line };
  }

  private settleBom(): void {
    const head = this.head();
    const hasBom = head.subarray(0, UTF8_BOM.length).equals(UTF8_BOM);
    this.parts = [hasBom ? head.subarray(UTF8_BOM.length) : head];
    this.size = this.parts[0]!.length;
    this.isBomSettled = true;
  }

  /** Goes over the newest chunk only, so a long head is scanned once. */
  private scan(): void {
    const chunk = this.parts.at(-1)!;
    const chunkStart = this.size - chunk.length;
    let index = Math.max(0, this.scanned - chunkStart);
    if (this.firstOffset === undefined) {
      index = this.findFirstCharacter(chunk, index, chunkStart);
    }
    if (this.firstOffset !== undefined && this.format === undefined) {
      const lineFeed = chunk.indexOf(LINE_FEED, index);
      if (lineFeed !== -1) this.decideObjectLine(chunkStart + lineFeed);
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
        if (byte !== OPEN_BRACE) {
          this.format = byte === OPEN_BRACKET ? 'document' : 'ndjson';
        }
        return index + 1;
      }
    }
    return chunk.length;
  }

  private decideObjectLine(lineFeedOffset: number): void {
    const text = this.head().toString('utf8', this.firstOffset, lineFeedOffset);
    this.format = isJson(text) ? 'ndjson' : 'documentOrNdjson';
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
