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
/** The bytes of U+FEFF in UTF-8; none is ever an ASCII byte. */
const BYTE_ORDER_MARK_START = 0xef;
const BYTE_ORDER_MARK_BYTES = new Set([BYTE_ORDER_MARK_START, 0xbb, 0xbf]);

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
 * Where one top-level value sits, in bytes and lines. A text holds more
 * than one when values follow each other, as `jq .` prints them.
 */
export type ValueSpan = {
  /**
   * Byte offset of the value's first character, or of a byte order mark
   * just before it (left by joining files), so that parsing reports it.
   */
  start: number;
  /** Byte offset just after the value (the end of the text if cut). */
  end: number;
  /** 1-based line on which the value (or the mark before it) starts. */
  line: number;
  /** The value's first byte after any mark: `{`, `[`, `"`, `t`, `1`… */
  firstByte: number;
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
 * value, and when the text cannot be one JSON value at all. Values after
 * the first are followed too, each in `values`, so that a sequence of them
 * can be cut apart; the other fields describe the first alone. Bytes are
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
  /** Every top-level value, in order. */
  readonly values: ValueSpan[] = [];

  private offset = 0;
  private line = 1;
  private depth = 0;
  private isInString = false;
  private isEscaped = false;
  private isAwaitingElement = false;
  /** Inside a top-level number or word, which ends at white space. */
  private isInBareValue = false;
  /** A byte order mark between values, waiting for the value after it. */
  private heldMark: { start: number; end: number; line: number } | undefined;

  /** Feeds the next bytes of the text. */
  take(bytes: Uint8Array): void {
    let index = 0;
    while (index < bytes.length) {
      if (this.isInString) {
        index = this.skipString(bytes, index);
        continue;
      }
      const byte = bytes[index]!;
      // Indentation is most of a pretty document outside its strings;
      // only a bare top-level value (`1 2`) needs to see where it ends.
      if (byte !== SPACE || this.isInBareValue) {
        this.takeByte(byte, this.offset + index);
      }
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

  /**
   * True when the text ended inside an object or array, outside a string,
   * with no sign that it was broken before: a first line such as `{` or
   * `{"a": [1,` that a pretty-printed value goes on from.
   */
  get isStructureOpen(): boolean {
    return (
      this.problem === undefined &&
      (this.firstByte === OPEN_BRACE || this.firstByte === OPEN_BRACKET) &&
      !this.isClosed &&
      this.depth > 0 &&
      !this.isInString
    );
  }

  /**
   * True when the text ended inside an element of the top-level array,
   * nested in it or in a string, rather than between elements.
   */
  get isInsideElement(): boolean {
    return this.isArrayOpen && (this.depth > 1 || this.isInString);
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
    const lastValue = this.values.at(-1);
    if (lastValue && (this.depth > 0 || this.isInString)) {
      lastValue.end = this.offset;
    }
    if (this.heldMark) {
      // A mark with no value after it is a value of its own, which does
      // not parse: dropping it would hide it from the report.
      const { start, end, line } = this.heldMark;
      this.values.push({ start, end, line, firstByte: BYTE_ORDER_MARK_START });
      this.heldMark = undefined;
    }
  }

  private takeByte(byte: number, offset: number): void {
    if (byte === LINE_FEED) {
      this.isInBareValue = false;
      this.line++;
      return;
    }
    if (byte === SPACE || byte === TAB || byte === CARRIAGE_RETURN) {
      this.isInBareValue = false;
      return;
    }
    if (this.depth === 0) {
      this.takeTopLevelByte(byte, offset);
      return;
    }
    this.takeStructureByte(byte, offset);
  }

  /**
   * A byte outside every bracket: it goes on with a bare value such as
   * `true` or `12`, or it starts the next value.
   */
  private takeTopLevelByte(byte: number, offset: number): void {
    if (this.isInBareValue) {
      if (!isStructureByte(byte)) {
        this.values.at(-1)!.end = offset + 1;
        return;
      }
      this.isInBareValue = false;
    }
    if (this.values.length > 0 && BYTE_ORDER_MARK_BYTES.has(byte)) {
      this.holdMark(offset);
      return;
    }
    this.startValue(byte, offset);
  }

  /**
   * A byte order mark after a value is kept with the value after it: two
   * files joined with `cat` leave one there, and it must be reported where
   * it is, not hidden or taken for a value of its own.
   */
  private holdMark(offset: number): void {
    this.noteProblem('after', offset);
    if (this.heldMark) {
      this.heldMark.end = offset + 1;
      return;
    }
    this.heldMark = { start: offset, end: offset + 1, line: this.line };
  }

  private startValue(byte: number, offset: number): void {
    if (this.values.length > 0) this.noteProblem('after', offset);
    const mark = this.heldMark;
    this.heldMark = undefined;
    this.values.push({
      start: mark?.start ?? offset,
      end: offset + 1,
      line: mark?.line ?? this.line,
      firstByte: byte,
    });
    if (this.values.length === 1) {
      this.startOffset = offset;
      this.startLine = this.line;
      this.firstByte = byte;
    }
    if (isStructureByte(byte)) {
      this.takeStructureByte(byte, offset);
    } else {
      this.isInBareValue = true;
    }
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
        this.closeIfStringDone(this.offset + index);
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
        if (this.depth === 1 && byte === OPEN_BRACKET && this.isInFirstValue) {
          this.isAwaitingElement = true;
        }
        return;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.close(offset);
        return;
      case COMMA:
        if (this.depth === 1 && this.isInFirstValue) this.endElement(offset);
        return;
      default:
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
    this.values.at(-1)!.end = offset + 1;
    if (!this.isInFirstValue) return;
    this.isClosed = true;
    if (this.firstByte === OPEN_BRACKET) this.endElement(offset);
    this.isAwaitingElement = false;
  }

  private closeIfStringDone(offset: number): void {
    if (this.depth > 0) return;
    this.values.at(-1)!.end = offset + 1;
    if (this.isInFirstValue) this.isClosed = true;
  }

  /** Elements and `isClosed` are about the first top-level value only. */
  private get isInFirstValue(): boolean {
    return this.values.length === 1;
  }

  private noteProblem(problem: ShapeProblem, offset: number): void {
    if (this.problem !== undefined) return;
    this.problem = problem;
    this.problemLine = this.line;
    this.problemOffset = offset;
  }
}

/** Bytes that start or end a value whatever comes before them. */
function isStructureByte(byte: number): boolean {
  return (
    byte === OPEN_BRACE ||
    byte === OPEN_BRACKET ||
    byte === CLOSE_BRACE ||
    byte === CLOSE_BRACKET ||
    byte === QUOTE
  );
}
