// A Map<string, number> of a million keys costs over 100 MB, which alone
// breaks push's memory budget. This index keeps 12 bytes per slot instead.

// Each slot is three words of one Uint32Array: hash high, hash low, line.
// Side by side, a probe usually touches one cache line instead of three.
const SLOT_WORDS = 3;
const HIGH_WORD = 0;
const LOW_WORD = 1;
const LINE_WORD = 2;

// Lines start at 1, so a line word of 0 marks an empty slot and every hash
// value, 0 included, can be stored.
const EMPTY_LINE = 0;
const MAX_LINE = 0xffff_ffff;

const MAX_LOAD = 0.75;
const GROWTH = 1.5;
const MIN_CAPACITY = 16;
const TWO_TO_THE_32 = 2 ** 32;

// Fed between the phone number and the date. It is above every UTF-16 code
// unit, so no phone number or date can contain it and no two different
// (phone, date) pairs hash the same text.
const SEPARATOR_CODE = 0x1_0000;

const FNV_OFFSET = 0x811c_9dc5;
const FNV_PRIME = 0x0100_0193;
const SECOND_OFFSET = 0x9e37_79b9;
const SECOND_MULTIPLIER = 0x5bd1_e995;

/**
 * Finds the second and later rows of a file that repeat an earlier row's
 * phone number and event date, without keeping the keys themselves.
 *
 * A key is kept as a 64-bit hash of (E.164 number, event date or nothing)
 * next to the line it first appeared on: 12 bytes a slot, at most 75 % of
 * slots full, so about 16 MB for a million rows presized, 1.6 MB for
 * 100,000. Two keys count as the same when their 64-bit hashes are equal,
 * so two different leads are taken for duplicates with a probability of
 * about n² / 2⁶⁵: 3 in 100 million for a million-row file. That is
 * acceptable because the caller reports each duplicate with both line
 * numbers, so a false one is visible in the report, never silent.
 */
export class DuplicateIndex {
  #slots: Uint32Array;
  #capacity: number;
  #maxSize: number;
  #size = 0;
  readonly #hash = new Uint32Array(2);

  /** Pass the number of rows when it is known, so the index never grows. */
  constructor(expectedRows = 0) {
    verifyExpectedRows(expectedRows);
    this.#capacity = Math.max(MIN_CAPACITY, Math.ceil(expectedRows / MAX_LOAD));
    this.#maxSize = Math.floor(this.#capacity * MAX_LOAD);
    this.#slots = new Uint32Array(this.#capacity * SLOT_WORDS);
  }

  /** How many distinct keys are recorded. */
  get size(): number {
    return this.#size;
  }

  /** How many slots the table has; it grows by half when 75 % are full. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Returns the line of an earlier row with the same key, or records this
   * one (line) and returns undefined. A missing event date is a value of
   * its own, and an empty one counts as missing: two rows with the same
   * number and no date repeat each other. `line` must be an integer from 1
   * to 2³² − 1.
   */
  firstLineOf(
    phoneNumber: string,
    eventDate: string | undefined,
    line: number,
  ): number | undefined {
    verifyLine(line);
    hashKey(phoneNumber, eventDate ?? '', this.#hash);
    const high = this.#hash[0] as number;
    const low = this.#hash[1] as number;

    let slot = this.#findSlot(high, low);
    const earlierLine = this.#slots[slot + LINE_WORD] as number;
    if (earlierLine !== EMPTY_LINE) return earlierLine;

    if (this.#size === this.#maxSize) {
      this.#grow();
      slot = this.#findSlot(high, low);
    }
    this.#store(slot, high, low, line);
    this.#size += 1;
    return undefined;
  }

  /** The offset of the slot holding this hash, or of the empty slot for it. */
  #findSlot(high: number, low: number): number {
    const slots = this.#slots;
    const end = slots.length;
    let slot = firstSlotOf(high, this.#capacity);

    while (slots[slot + LINE_WORD] !== EMPTY_LINE) {
      const isSameHash =
        slots[slot + HIGH_WORD] === high && slots[slot + LOW_WORD] === low;
      if (isSameHash) return slot;
      slot += SLOT_WORDS;
      if (slot === end) slot = 0;
    }
    return slot;
  }

  #store(slot: number, high: number, low: number, line: number): void {
    this.#slots[slot + HIGH_WORD] = high;
    this.#slots[slot + LOW_WORD] = low;
    this.#slots[slot + LINE_WORD] = line;
  }

  /** Moves every key into a table half as large again. */
  #grow(): void {
    const oldSlots = this.#slots;
    this.#capacity = Math.ceil(this.#capacity * GROWTH);
    this.#maxSize = Math.floor(this.#capacity * MAX_LOAD);
    this.#slots = new Uint32Array(this.#capacity * SLOT_WORDS);

    for (let slot = 0; slot < oldSlots.length; slot += SLOT_WORDS) {
      const line = oldSlots[slot + LINE_WORD] as number;
      if (line === EMPTY_LINE) continue;
      const high = oldSlots[slot + HIGH_WORD] as number;
      const low = oldSlots[slot + LOW_WORD] as number;
      this.#store(this.#findSlot(high, low), high, low, line);
    }
  }
}

/**
 * Maps the hash's high word onto 0…capacity − 1 by multiplying instead of
 * taking a remainder, so the capacity need not be a power of two. The
 * product can pass 2⁵³ and be rounded, but by far less than `capacity`, so
 * the result always stays below `capacity`.
 */
function firstSlotOf(high: number, capacity: number): number {
  return (((high * capacity) / TWO_TO_THE_32) | 0) * SLOT_WORDS;
}

/**
 * Writes a 64-bit hash of phone number, separator and date into `hash` as
 * two words, computed in one pass over the char codes. The high word is
 * FNV-1a. The low word uses another multiplier and rotates after each
 * multiply: without that, both words' low bits would be the same function
 * of the input, and a collision in one would make one in the other likelier.
 * murmur3's fmix32 then spreads every input bit over each word.
 */
function hashKey(
  phoneNumber: string,
  eventDate: string,
  hash: Uint32Array,
): void {
  let high = FNV_OFFSET;
  let low = SECOND_OFFSET;

  for (let index = 0; index < phoneNumber.length; index += 1) {
    const code = phoneNumber.charCodeAt(index);
    high = stepFnv(high, code);
    low = stepMultiplyRotate(low, code);
  }
  high = stepFnv(high, SEPARATOR_CODE);
  low = stepMultiplyRotate(low, SEPARATOR_CODE);
  for (let index = 0; index < eventDate.length; index += 1) {
    const code = eventDate.charCodeAt(index);
    high = stepFnv(high, code);
    low = stepMultiplyRotate(low, code);
  }

  hash[0] = fmix32(high);
  hash[1] = fmix32(low);
}

function stepFnv(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

function stepMultiplyRotate(hash: number, code: number): number {
  const product = Math.imul(hash ^ code, SECOND_MULTIPLIER);
  return (product << 13) | (product >>> 19);
}

/** murmur3's finaliser: every input bit affects every output bit. */
function fmix32(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85eb_ca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2_ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

function verifyLine(line: number): void {
  if (Number.isInteger(line) && line >= 1 && line <= MAX_LINE) return;

  throw new RangeError(
    `Line ${line} cannot be recorded: lines are integers from 1 to ${MAX_LINE}.`,
  );
}

function verifyExpectedRows(expectedRows: number): void {
  if (Number.isSafeInteger(expectedRows) && expectedRows >= 0) return;

  throw new RangeError(
    `Expected row count ${expectedRows} is not a whole number of rows.`,
  );
}
