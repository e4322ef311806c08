const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where one element of a top-level JSON array sits, in bytes and lines. */
export type ElementSpan = {
  /** Byte offset of the element's first character. */
  start: number;
  /** Byte offset of the comma or `]` after it (or the end of the input). */
  end: number;
  /** 1-based line on which the element starts. */
  line: number;
  /** True when nothing stands between two commas, or a comma and `]`. */
  isEmpty: boolean;
};

/**
 * Why the text cannot be a single JSON value, found from its structure
 * alone: a raw line break in a string, a closing bracket with nothing
 * open, or more text after the value has closed.
 */
export type ShapeProblem = 'lineBreakInString' | 'unmatchedClose' | 'after';

/**
 * Follows the structure of a JSON text byte by byte: strings and their
 * escapes, and bracket depth. It does not validate (JSON.parse does that);
 * it tells where the top-level value starts, where each element of a
 * top-level array starts and ends, whether the text stopped inside the
 * value, and when the text cannot be one JSON value at all. Bytes are
 * enough: every character that matters is ASCII, and UTF-8 never uses an
 * ASCII byte inside a multi-byte character, so chunks may split anywhere.
 */
export class JsonShapeScanner {
  /** 1-based line of the top-level value's first character. */
  startLine: number | undefined;
  /** Byte offset of the top-level value's first character. */
  startOffset: number | undefined;
  /** The top-level value's first byte, such as `[` or `{`. */
  firstByte: number | undefined;
  isClosed = false;
  problem: ShapeProblem | undefined;
  /** 1-based line of the first byte that showed `problem`. */
  problemLine: number | undefined;
  /** Byte offset of the first byte that showed `problem`. */
  problemOffset: number | undefined;
  /** Filled only when the top-level value is an array. */
  readonly elements: ElementSpan[] = [];

  private offset = 0;
  private line = 1;
  private depth = 0;
  private isInString = false;
  private isEscaped = false;
  private isAwaitingElement = false;

  /** Feeds the next bytes of the text. */
  take(bytes: Uint8Array): void {
    let index = 0;
    while (index < bytes.length) {
      if (this.isInString) {
        index = this.skipString(bytes, index);
        continue;
      }
      const byte = bytes[index]!;
      // Indentation is most of a pretty document outside its strings.
      if (byte !== SPACE) this.takeByte(byte, this.offset + index);
      index++;
    }
    this.offset += bytes.length;
  }

  /**
   * True when the text is a string, object or array that it ended inside
   * of, with no sign that it was broken before. This is what a capture
   * cut off mid-write looks like.
   */
  get isUnfinished(): boolean {
    return (
      this.problem === undefined &&
      (this.firstByte === OPEN_BRACE ||
        this.firstByte === OPEN_BRACKET ||
        this.firstByte === QUOTE) &&
      !this.isClosed &&
      (this.depth > 0 || this.isInString)
    );
  }

  /** True when the top-level array is still open at the end of the text. */
  get isArrayOpen(): boolean {
    return this.firstByte === OPEN_BRACKET && !this.isClosed;
  }

  /**
   * Ends an element left open by the end of the text, so that `elements`
   * covers everything after the `[`. Call once, after the last `take`.
   */
  finish(): void {
    const last = this.elements.at(-1);
    if (this.isArrayOpen && last && !this.isAwaitingElement) {
      last.end = this.offset;
    }
  }

  private takeByte(byte: number, offset: number): void {
    if (byte === LINE_FEED) {
      this.line++;
      return;
    }
    if (byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN) return;
    if (this.isClosed) {
      this.noteProblem('after', offset);
      return;
    }
    if (this.startOffset === undefined) {
      this.startOffset = offset;
      this.startLine = this.line;
      this.firstByte = byte;
    }
    this.takeStructureByte(byte, offset);
  }

  /**
   * Runs through a string's content to just after its closing quote, or
   * to the end of `bytes`. Strings are most of a payload's bytes, so this
   * is the scanner's hot loop, kept free of calls and field writes.
   */
  private skipString(bytes: Uint8Array, from: number): number {
    let isEscaped = this.isEscaped;
    for (let index = from; index < bytes.length; index++) {
      const byte = bytes[index]!;
      if (byte === LINE_FEED) {
        this.line++;
        this.noteProblem('lineBreakInString', this.offset + index);
        isEscaped = false;
      } else if (isEscaped) {
        isEscaped = false;
      } else if (byte === BACKSLASH) {
        isEscaped = true;
      } else if (byte === QUOTE) {
        this.isEscaped = false;
        this.isInString = false;
        this.closeIfScalarDone();
        return index + 1;
      }
    }
    this.isEscaped = isEscaped;
    return bytes.length;
  }

  private takeStructureByte(byte: number, offset: number): void {
    if (this.isAwaitingElement && this.depth === 1) {
      this.openElement(byte, offset);
    }
    switch (byte) {
      case QUOTE:
        this.isInString = true;
        return;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        this.depth++;
        if (this.depth === 1 && byte === OPEN_BRACKET) {
          this.isAwaitingElement = true;
        }
        return;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.close(offset);
        return;
      case COMMA:
        if (this.depth === 1) this.endElement(offset);
        return;
      default:
        // A bare scalar (a number, true) as the whole text ends at the
        // next whitespace; nothing here needs to know where.
        return;
    }
  }

  private openElement(byte: number, offset: number): void {
    if (byte === CLOSE_BRACKET && this.elements.length === 0) return;
    const isEmpty = byte === COMMA || byte === CLOSE_BRACKET;
    this.elements.push({
      start: offset,
      end: offset,
      line: this.line,
      isEmpty,
    });
    this.isAwaitingElement = false;
  }

  private endElement(offset: number): void {
    const last = this.elements.at(-1);
    if (last && !last.isEmpty) last.end = offset;
    this.isAwaitingElement = this.firstByte === OPEN_BRACKET;
  }

  private close(offset: number): void {
    if (this.depth === 0) {
      this.noteProblem('unmatchedClose', offset);
      return;
    }
    this.depth--;
    if (this.depth > 0) return;
    this.isClosed = true;
    if (this.firstByte === OPEN_BRACKET) this.endElement(offset);
    this.isAwaitingElement = false;
  }

  private closeIfScalarDone(): void {
    if (this.depth === 0) this.isClosed = true;
  }

  private noteProblem(problem: ShapeProblem, offset: number): void {
    if (this.problem !== undefined) return;
    this.problem = problem;
    this.problemLine = this.line;
    this.problemOffset = offset;
  }
}
