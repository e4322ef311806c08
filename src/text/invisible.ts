/**
 * Characters that spreadsheets and copy-paste leave in cells without anyone
 * seeing them: no-break spaces, zero-width characters, the byte order mark,
 * soft hyphens and bidirectional marks.
 */
const INVISIBLE_PATTERN =
  /[\u00A0\u00AD\u180E\u2007\u200B-\u200F\u202A-\u202F\u2060-\u2064\uFEFF]/g;

const SPACE_LIKE_PATTERN = /[\u00A0\u2007\u202F]/g;
const NON_ASCII_PATTERN = /[^\x20-\x7E]/;
// The same set minus U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH
// JOINER, which are handled by JOINER_WITHOUT_MEANING_PATTERN.
const ZERO_WIDTH_PATTERN =
  /[\u00AD\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

// The joiners are part of how some names are spelt: Devanagari half-forms
// (ka, virama, ZWJ, ssa), Malayalam chillu (na, virama, ZWJ), Persian names
// (ZWNJ between letters, as in Mehr-ZWNJ-dad) and emoji sequences (woman,
// ZWJ, woman, ZWJ, girl). In each of those the joiner follows a letter, a
// combining mark (a virama, a variation selector) or an emoji. After
// anything else (a digit, a space, punctuation, the start of the text) it
// cannot join anything, so it is copy-paste debris and goes; this also keeps
// phone and date cells, which are cleaned with the same function, readable.
const JOINER_WITHOUT_MEANING_PATTERN =
  /(?<![\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}])[\u200C\u200D]/gu;

/**
 * Removes every invisible character, including no-break spaces and the
 * joiners. For text that is matched or parsed rather than read, such as a
 * header or a phone number.
 */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_PATTERN, '');
}

/**
 * Turns no-break spaces into plain spaces and drops zero-width characters,
 * then trims. For text a person reads, such as a name, so the zero-width
 * joiner and non-joiner stay wherever they can change how the text renders
 * (after a letter, a combining mark or an emoji).
 */
export function cleanVisibleText(text: string): string {
  // Most cells are plain ASCII: nothing to clean but the ends. This runs for
  // several cells of every row, so it skips the patterns when it can.
  if (!NON_ASCII_PATTERN.test(text)) return text.trim();
  return text
    .replace(SPACE_LIKE_PATTERN, ' ')
    .replace(ZERO_WIDTH_PATTERN, '')
    .replace(JOINER_WITHOUT_MEANING_PATTERN, '')
    .trim();
}

const VISIBLE_CHARACTER_PATTERN =
  /[^\s\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064]/;

/** True when a cell holds nothing but whitespace and invisible characters. */
export function isBlankText(text: string): boolean {
  // A test, not a replace: this runs for every cell of every row.
  return !VISIBLE_CHARACTER_PATTERN.test(text);
}
