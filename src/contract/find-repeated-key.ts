import { joinPath, type Problem } from './describe-issues.js';

/** A key written more than once in one object, and where. */
export type RepeatedKey = {
  /** The path of the repeated key, as the contract's problems name paths. */
  path: string;
  /** How many times the key is written in its object. */
  count: number;
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const NOT_AN_OBJECT = -1;

/**
 * The first key that an object in `text` holds more than once, or
 * undefined. JSON.parse keeps the last of them without a word, while other
 * readers keep the first or refuse the text, so such a record means
 * different things to different receivers.
 *
 * `text` must be JSON that JSON.parse has accepted: the scan follows only
 * strings and brackets. It jumps from quote to quote and compares keys
 * where they stand in the text, without copying them, so that it costs a
 * fraction of the parse on event-sized bodies (`npm run bench -- verify`).
 */
export function findRepeatedKey(text: string): RepeatedKey | undefined {
  const scan = new KeyScan(text);
  return scan.run();
}

/**
 * The problem to report: the record means one thing to a reader that keeps
 * the last value (JSON.parse, and so this check) and another to one that
 * keeps the first.
 */
export function repeatedKeyProblem(repeat: RepeatedKey): Problem {
  return {
    path: repeat.path,
    expected: 'the key once in its object',
    found: `it ${repeat.count} times; JSON readers differ on which value counts (the last one was checked)`,
  };
}

class KeyScan {
  readonly #text: string;
  /** Whether any string may hold an escape, so keys need decoding. */
  readonly #hasEscapes: boolean;
  /** Where each key of the open objects starts (after its quote) and ends. */
  readonly #keyStarts: number[] = [];
  readonly #keyEnds: number[] = [];
  /**
   * Per key, its length and first and last characters in one number: keys
   * that differ there, as most do, are told apart without a comparison.
   */
  readonly #keySigns: number[] = [];
  /** Keys in the lists above; later entries are left over, not cleared. */
  #keyCount = 0;
  /**
   * Per open object or array, outermost first: for an object, the index in
   * the key lists of its first key; for an array, NOT_AN_OBJECT.
   */
  readonly #firstKeys: number[] = [];
  /** Per open array, the index of the element being read. */
  readonly #elementIndexes: number[] = [];
  /** Open objects and arrays: the entries of the two lists above in use. */
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
    this.#hasEscapes = text.includes('\\');
  }

  run(): RepeatedKey | undefined {
    const text = this.#text;
    let isKeyNext = false;
    let index = 0;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        const end = this.#stringEnd(index);
        if (isKeyNext) {
          const repeat = this.#addKey(index + 1, end);
          if (repeat) return repeat;
          isKeyNext = false;
        }
        index = end + 1;
        continue;
      }
      if (code === OPEN_BRACE) {
        this.#open(this.#keyCount);
        isKeyNext = true;
      } else if (code === OPEN_BRACKET) {
        this.#open(NOT_AN_OBJECT);
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.#close();
        isKeyNext = false;
      } else if (code === COMMA) {
        const level = this.#depth - 1;
        if (this.#firstKeys[level] === NOT_AN_OBJECT) {
          this.#elementIndexes[level]! += 1;
        } else {
          isKeyNext = true;
        }
      }
      index += 1;
    }
    return undefined;
  }

  /** Records a key of the innermost object; returns it if already there. */
  #addKey(start: number, end: number): RepeatedKey | undefined {
    const first = this.#firstKeys[this.#depth - 1]!;
    const sign = this.#signOf(start, end);
    for (let other = first; other < this.#keyCount; other += 1) {
      const isCandidate = this.#hasEscapes || this.#keySigns[other] === sign;
      if (isCandidate && this.#isSameKey(other, start, end)) {
        return { path: this.#pathTo(start, end), count: this.#count(other) };
      }
    }
    const added = this.#keyCount;
    this.#keyStarts[added] = start;
    this.#keyEnds[added] = end;
    this.#keySigns[added] = sign;
    this.#keyCount = added + 1;
    return undefined;
  }

  #signOf(start: number, end: number): number {
    const text = this.#text;
    const last = end > start ? text.charCodeAt(end - 1) : 0;
    return ((end - start) * 65_536 + text.charCodeAt(start)) * 65_536 + last;
  }

  #open(firstKey: number): void {
    this.#firstKeys[this.#depth] = firstKey;
    this.#elementIndexes[this.#depth] = 0;
    this.#depth += 1;
  }

  /** Forgets the keys of the object closing, which come after its parent's. */
  #close(): void {
    this.#depth -= 1;
    const first = this.#firstKeys[this.#depth]!;
    if (first !== NOT_AN_OBJECT) this.#keyCount = first;
  }

  #isSameKey(other: number, start: number, end: number): boolean {
    const otherStart = this.#keyStarts[other]!;
    const otherEnd = this.#keyEnds[other]!;
    if (this.#hasEscapes) {
      return this.#decode(otherStart, otherEnd) === this.#decode(start, end);
    }
    if (otherEnd - otherStart !== end - start) return false;
    for (let offset = 0; offset < end - start; offset += 1) {
      const a = this.#text.charCodeAt(otherStart + offset);
      if (a !== this.#text.charCodeAt(start + offset)) return false;
    }
    return true;
  }

  /** The index of the quote that closes the string opened at `start`. */
  #stringEnd(start: number): number {
    let end = this.#text.indexOf('"', start + 1);
    if (!this.#hasEscapes) return end;
    while (this.#isEscaped(end)) end = this.#text.indexOf('"', end + 1);
    return end;
  }

  /** True when an odd run of backslashes stands before `index`. */
  #isEscaped(index: number): boolean {
    let backslashes = 0;
    while (this.#text.charCodeAt(index - 1 - backslashes) === BACKSLASH) {
      backslashes += 1;
    }
    return backslashes % 2 === 1;
  }

  /** A key as JSON.parse reads it: `"\u0061"` and `"a"` are one key. */
  #decode(start: number, end: number): string {
    const raw = this.#text.slice(start, end);
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  /**
   * How often the key first written at key index `first` is written in
   * its object, reading on from that key to the object's end.
   */
  #count(first: number): number {
    const text = this.#text;
    const start = this.#keyStarts[first]!;
    const end = this.#keyEnds[first]!;
    let count = 1;
    let depth = 0;
    let isKeyNext = false;
    let index = end + 1;
    while (index < text.length && depth >= 0) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        const closing = this.#stringEnd(index);
        if (isKeyNext && depth === 0) {
          const isSame =
            this.#decode(index + 1, closing) === this.#decode(start, end);
          if (isSame) count += 1;
        }
        isKeyNext = false;
        index = closing + 1;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth -= 1;
      else if (code === COMMA && depth === 0) isKeyNext = true;
      index += 1;
    }
    return count;
  }

  /** The path of the key at [start, end) in the innermost object. */
  #pathTo(start: number, end: number): string {
    const segments: PropertyKey[] = [];
    const innermost = this.#depth - 1;
    for (let level = 0; level < innermost; level += 1) {
      const first = this.#firstKeys[level]!;
      if (first === NOT_AN_OBJECT) {
        segments.push(this.#elementIndexes[level]!);
        continue;
      }
      // The object's current key is its last one: the child is its value.
      const next = this.#firstKeys
        .slice(level + 1, this.#depth)
        .find((keyIndex) => keyIndex !== NOT_AN_OBJECT);
      const last = (next ?? this.#keyCount) - 1;
      segments.push(this.#decode(this.#keyStarts[last]!, this.#keyEnds[last]!));
    }
    segments.push(this.#decode(start, end));
    return joinPath(segments);
  }
}
