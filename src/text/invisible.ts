/**
 * Characters that spreadsheets and copy-paste leave in cells without anyone
 * seeing them: no-break spaces, zero-width characters, the byte order mark,
 * soft hyphens and bidirectional marks.
 */
const INVISIBLE_PATTERN =
  /[\u00A0\u00AD\u180E\u2007\u200B-\u200F\u202A-\u202F\u2060-\u2064\uFEFF]/g;

const SPACE_LIKE_PATTERN = /[\u00A0\u2007\u202F]/g;
const ZERO_WIDTH_PATTERN =
  /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** Removes every invisible character, including no-break spaces. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_PATTERN, '');
}

/**
 * Turns no-break spaces into plain spaces and drops zero-width characters,
 * then trims. For text a person reads, such as a name.
 */
export function cleanVisibleText(text: string): string {
  return text
    .replace(SPACE_LIKE_PATTERN, ' ')
    .replace(ZERO_WIDTH_PATTERN, '')
    .trim();
}

/** True when a cell holds nothing but whitespace and invisible characters. */
export function isBlankText(text: string): boolean {
  return stripInvisible(text).trim() === '';
}
