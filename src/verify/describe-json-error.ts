const EXCERPT_CHARACTERS = 80;
const ELLIPSIS = '…';
const REPLACEMENT_CHARACTER = '\uFFFD';
/** C0 and C1 controls except tab; they would move a terminal's cursor. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const LINE_BREAK_WITH_INDENT = /\s*[\r\n]\s*/g;
const POSITION = / in JSON at position (\d+)/;
/** V8 quotes the text it failed on; the record's excerpt shows that. */
const QUOTED_INPUT = /, (?:\.\.\.)?".*" is not valid JSON$/s;

/**
 * Where the text JSON.parse was given starts in the input, so that its
 * "at position 41" can be told as a line and column an editor shows.
 */
export type TextOrigin = {
  line: number;
  column: number;
  /** Leave the line out of the message: the record's location has it. */
  isOneLine: boolean;
};

/**
 * JSON.parse's reason in plain words: "at position 6" becomes a column
 * (and line, for a text spread over several), and the copy of the input
 * V8 appends is dropped, since the record carries an excerpt.
 */
export function describeJsonError(
  error: unknown,
  text: string,
  origin: TextOrigin,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const plain = message
    .replace(QUOTED_INPUT, '')
    .replace(POSITION, (_match, position: string) =>
      describePosition(text, Number(position), origin),
    );
  return withoutControlCharacters(plain);
}

function describePosition(
  text: string,
  position: number,
  origin: TextOrigin,
): string {
  const before = text.slice(0, position);
  const lineBreaks = countLineBreaks(before);
  const column =
    lineBreaks === 0
      ? origin.column + position
      : position - before.lastIndexOf('\n');
  if (origin.isOneLine) return ` at column ${column}`;
  return ` at line ${origin.line + lineBreaks}, column ${column}`;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1;) {
    count++;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}

/**
 * The start of a text for showing beside a problem: on one line, at most
 * 80 characters with an ellipsis when cut, and with control characters
 * replaced so that a binary file cannot drive the terminal. `isWhole` is
 * false when `text` is itself only the start of something longer.
 */
export function excerptOf(text: string, isWhole = true): string {
  const trimmed = text.trim();
  const head = trimmed
    .slice(0, EXCERPT_CHARACTERS * 4)
    .replace(LINE_BREAK_WITH_INDENT, ' ');
  const characters = Array.from(head);
  const isCut =
    !isWhole ||
    characters.length > EXCERPT_CHARACTERS ||
    trimmed.length > EXCERPT_CHARACTERS * 4;
  const shown = isCut
    ? characters.slice(0, EXCERPT_CHARACTERS - 1).join('') + ELLIPSIS
    : head;
  return withoutControlCharacters(shown);
}

function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, REPLACEMENT_CHARACTER);
}
