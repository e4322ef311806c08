import { joinPath, type Problem } from './describe-issues.js';

/** A key written more than once in one object, and where. */
export type RepeatedKey = {
  /** The path of the repeated key, as the contract's problems name paths. */
  path: string;
  /** How many times the key is written in its object. */
  count: number;
};

/** Repeated keys reported per text at most; the scan stops there. */
export const MAX_REPEATED_KEYS = 100;
/** Paths longer than this keep their end, the part a reader needs. */
const MAX_PATH_LENGTH = 200;
/**
 * Keys an object is scanned by comparing them where they stand; from this
 * many on, or once a key repeats, its keys go into a Map, so that an object
 * of 100,000 keys costs no more per key than one of ten.
 */
const KEYS_COMPARED_IN_PLACE = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const NOT_AN_OBJECT = -1;

/**
 * Each key that an object in `text` holds more than once, in the order
 * their objects close (at most MAX_REPEATED_KEYS). JSON.parse keeps the
 * last value without a word, while other readers keep the first or refuse
 * the text, so such a record means different things to different
 * receivers.
 *
 * `text` must be JSON that JSON.parse has accepted: the scan follows only
 * strings and brackets. It jumps from quote to quote and, in small objects
 * without escapes, compares keys where they stand in the text, without
 * copying them: on event-sized bodies it costs about half of the parse.
 */
export function findRepeatedKeys(text: string): RepeatedKey[] {
  return new KeyScan(text).run();
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
  readonly #found: RepeatedKey[] = [];
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
  /** Per open object with many keys or a repeat: each decoded key's count. */
  readonly #keyCounts: (Map<string, number> | undefined)[] = [];
  /** Per open object, the keys found repeated so far, in order. */
  readonly #repeats: (string[] | undefined)[] = [];
  /**
   * Entries in `#repeats` and `#found` together: past MAX_REPEATED_KEYS no
   * more are kept, so that a deep object of many repeats costs no more than
   * one of 100 (each report builds its path from every level above it).
   */
  #repeatCount = 0;
  /** Open objects and arrays: the entries of the lists above in use. */
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
    this.#hasEscapes = text.includes('\\');
  }

  run(): RepeatedKey[] {
    const text = this.#text;
    let isKeyNext = false;
    let index = 0;
    while (index < text.length && this.#found.length < MAX_REPEATED_KEYS) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        const end = this.#stringEnd(index);
        if (isKeyNext) {
          this.#addKey(index + 1, end);
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
    return this.#found;
  }

  #open(firstKey: number): void {
    const level = this.#depth;
    this.#firstKeys[level] = firstKey;
    this.#elementIndexes[level] = 0;
    this.#keyCounts[level] = undefined;
    this.#repeats[level] = undefined;
    this.#depth = level + 1;
  }

  /** Reports the object's repeated keys, and forgets its keys. */
  #close(): void {
    const level = this.#depth - 1;
    const first = this.#firstKeys[level]!;
    const repeats = this.#repeats[level];
    if (repeats) {
      const outer = this.#pathSegments(level);
      for (const key of repeats) {
        const path = shortened(joinPath([...outer, key]));
        this.#found.push({ path, count: this.#keyCounts[level]!.get(key)! });
      }
    }
    this.#keyCounts[level] = undefined;
    this.#repeats[level] = undefined;
    this.#depth = level;
    if (first !== NOT_AN_OBJECT) this.#keyCount = first;
  }

  /** Records a key of the innermost object, counting it if it repeats. */
  #addKey(start: number, end: number): void {
    const level = this.#depth - 1;
    const first = this.#firstKeys[level]!;
    const sign = this.#signOf(start, end);
    const counts = this.#keyCounts[level];
    if (counts) {
      this.#count(level, counts, this.#decode(start, end));
    } else if (
      this.#hasEscapes ||
      this.#keyCount - first >= KEYS_COMPARED_IN_PLACE ||
      this.#isWrittenBefore(first, start, end, sign)
    ) {
      const allCounts = this.#countKeysSoFar(level);
      this.#count(level, allCounts, this.#decode(start, end));
    }
    const added = this.#keyCount;
    this.#keyStarts[added] = start;
    this.#keyEnds[added] = end;
    this.#keySigns[added] = sign;
    this.#keyCount = added + 1;
  }

  #count(level: number, counts: Map<string, number>, key: string): void {
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count === 2 && this.#repeatCount < MAX_REPEATED_KEYS) {
      (this.#repeats[level] ??= []).push(key);
      this.#repeatCount += 1;
    }
  }

  /** Moves the keys of the object at `level` into a Map of counts. */
  #countKeysSoFar(level: number): Map<string, number> {
    const counts = new Map<string, number>();
    this.#keyCounts[level] = counts;
    for (let key = this.#firstKeys[level]!; key < this.#keyCount; key += 1) {
      const decoded = this.#decode(this.#keyStarts[key]!, this.#keyEnds[key]!);
      this.#count(level, counts, decoded);
    }
    return counts;
  }

  /** True when the object's keys from `first` on hold the key at [start, end). */
  #isWrittenBefore(
    first: number,
    start: number,
    end: number,
    sign: number,
  ): boolean {
    const text = this.#text;
    for (let other = first; other < this.#keyCount; other += 1) {
      if (this.#keySigns[other] !== sign) continue;
      const otherStart = this.#keyStarts[other]!;
      let offset = 0;
      while (
        offset < end - start &&
        text.charCodeAt(otherStart + offset) === text.charCodeAt(start + offset)
      ) {
        offset += 1;
      }
      if (offset === end - start) return true;
    }
    return false;
  }

  #signOf(start: number, end: number): number {
    const text = this.#text;
    const last = end > start ? text.charCodeAt(end - 1) : 0;
    return ((end - start) * 65_536 + text.charCodeAt(start)) * 65_536 + last;
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
   * The path to the object at `level`: for each enclosing array the index
   * of the element being read, for each enclosing object its last key.
   * Read from the inside out, each object's last key being the one before
   * the first key of the object inside it.
   */
  #pathSegments(level: number): PropertyKey[] {
    const segments: PropertyKey[] = [];
    let firstInside = this.#firstKeys[level]!;
    for (let outer = level - 1; outer >= 0; outer -= 1) {
      const first = this.#firstKeys[outer]!;
      if (first === NOT_AN_OBJECT) {
        segments.push(this.#elementIndexes[outer]!);
        continue;
      }
      const last = firstInside - 1;
      segments.push(this.#decode(this.#keyStarts[last]!, this.#keyEnds[last]!));
      firstInside = first;
    }
    return segments.reverse();
  }
}

/** The path's end, cut between whole characters. */
function shortened(path: string): string {
  if (path.length <= MAX_PATH_LENGTH) return path;
  let start = path.length - MAX_PATH_LENGTH + 1;
  if (isLowSurrogate(path.charCodeAt(start))) start += 1;
  return `…${path.slice(start)}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
