import { findJsonErrorPosition } from './find-json-error-position.js';

const EXCERPT_CHARACTERS = 80;
const ELLIPSIS = '…';
const REPLACEMENT_CHARACTER = '\uFFFD';
/** C0 and C1 controls except tab; they would move a terminal's cursor. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const CONTROL_CHARACTER = /^[\u0000-\u001f\u007f-\u009f]$/;
const LINE_BREAK_WITH_INDENT = /\s*[\r\n]\s*/g;
/** Node 22 and later add the line and column; ours count from the input. */
const POSITION = /(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?/;
/**
 * V8 quotes the text it failed on, whole or around the error with
 * ellipses; the record's excerpt shows that.
 */
const QUOTED_INPUT = /, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;
const UNEXPECTED_END = 'Unexpected end of JSON input';
const UNEXPECTED_TOKEN = /^Unexpected token '(.)'/su;
const BYTE_ORDER_MARK = '\uFEFF';
/** Not `\s`, which takes in U+FEFF, a character that must be reported. */
const JSON_WHITE_SPACE = /^[ \t\n\r]$/;
/** Tokens that are invisible when quoted, named instead. */
const TOKEN_NAMES: Record<string, string> = {
  '\n': 'line break',
  '\r': 'carriage return',
  '\t': 'tab',
};

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

/** Where in the input a parse error is, as an editor shows it. */
export type ErrorPlace = { line: number; column: number };

/**
 * JSON.parse's reason in plain words: "at position 6" becomes a column
 * (and line, for a text spread over several), and the copy of the input
 * V8 appends is dropped, since the record carries an excerpt. For a text
 * of several lines, an error JSON.parse gives no position for (an
 * unexpected character) is located too. A byte order mark where the
 * error is gets its own wording: it is invisible, and only ever there
 * because two files were joined.
 */
export function describeJsonError(
  error: unknown,
  text: string,
  origin: TextOrigin,
): string {
  const message = messageOf(error);
  const reason = message.replace(QUOTED_INPUT, '').replace(POSITION, '');
  const position = origin.isOneLine
    ? statedPosition(message)
    : jsonErrorPosition(message, text);
  const where =
    position === undefined ? '' : describePlace(text, position, origin);
  if (isByteOrderMarkError(reason, text, position)) {
    return `Found a byte order mark (U+FEFF) in the middle of the file${where}, as left by joining two files saved on Windows: remove it`;
  }
  return withoutControlCharacters(`${inWords(reason)}${where}`);
}

/**
 * The line and column at which JSON.parse failed on `text`, which starts
 * at `origin` in the input. An error at the end (the text stops too soon)
 * is placed just after its last character, not on the blank line after.
 */
export function placeJsonError(
  error: unknown,
  text: string,
  origin: Omit<TextOrigin, 'isOneLine'>,
): ErrorPlace {
  return placeOf(text, jsonErrorPosition(messageOf(error), text), origin);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function statedPosition(message: string): number | undefined {
  const position = POSITION.exec(message)?.[1];
  return position === undefined ? undefined : Number(position);
}

function jsonErrorPosition(message: string, text: string): number {
  const position =
    statedPosition(message) ??
    (message.startsWith(UNEXPECTED_END) ? text.length : undefined) ??
    findJsonErrorPosition(text) ??
    text.length;
  return Math.min(position, contentEnd(text));
}

/** The position after the last character that is not white space. */
function contentEnd(text: string): number {
  let end = text.length;
  while (end > 0 && JSON_WHITE_SPACE.test(text.charAt(end - 1))) end--;
  return end;
}

function isByteOrderMarkError(
  reason: string,
  text: string,
  position: number | undefined,
): boolean {
  if (UNEXPECTED_TOKEN.exec(reason)?.[1] === BYTE_ORDER_MARK) return true;
  return position !== undefined && text.charAt(position) === BYTE_ORDER_MARK;
}

/** "Unexpected token '\n'" shows nothing a reader can see: name it. */
function inWords(reason: string): string {
  const token = UNEXPECTED_TOKEN.exec(reason)?.[1];
  if (token === undefined) return reason;
  const name = TOKEN_NAMES[token];
  if (name !== undefined) {
    return reason.replace(UNEXPECTED_TOKEN, `Unexpected ${name}`);
  }
  if (!CONTROL_CHARACTER.test(token)) return reason;
  const code = token.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return reason.replace(
    UNEXPECTED_TOKEN,
    `Unexpected control character U+${code}`,
  );
}

function describePlace(
  text: string,
  position: number,
  origin: TextOrigin,
): string {
  const { line, column } = placeOf(text, position, origin);
  if (origin.isOneLine) return ` at column ${column}`;
  return ` at line ${line}, column ${column}`;
}

function placeOf(
  text: string,
  position: number,
  origin: Omit<TextOrigin, 'isOneLine'>,
): ErrorPlace {
  const lineBreaks = countLineBreaks(text, position);
  const column =
    lineBreaks === 0
      ? origin.column + position
      : position - text.lastIndexOf('\n', position - 1);
  return { line: origin.line + lineBreaks, column };
}

/** Line feeds before `end`, counted without copying a long text. */
function countLineBreaks(text: string, end: number): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < end;) {
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
