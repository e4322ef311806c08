const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const FIRST_PRINTABLE = 0x20;
/** The characters a backslash may stand before, other than `u`. */
const SHORT_ESCAPES = new Set(
  Array.from('"\\/bfnrt', (character) => character.charCodeAt(0)),
);
const HEX_DIGIT = /^[0-9a-fA-F]$/;
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

/** What the reader expects next, between tokens. */
type Expectation =
  'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'separatorOrEnd';

/** Thrown inside the reader to stop at the first character that is wrong. */
class StopAt {
  constructor(readonly position: number) {}
}

/**
 * The position (in UTF-16 code units, as JSON.parse counts) of the first
 * character at which `text` stops being JSON, or undefined when it is
 * JSON. JSON.parse names the position for most mistakes but not for an
 * unexpected character ("Unexpected token"), and a document's error must
 * be pointed at by line. The reader keeps its own stack of open brackets
 * rather than recursing, so no nesting depth can overflow the call stack.
 */
export function findJsonErrorPosition(text: string): number | undefined {
  try {
    readJson(text);
    return undefined;
  } catch (error) {
    if (error instanceof StopAt) return error.position;
    throw error;
  }
}

function readJson(text: string): void {
  const open: number[] = [];
  let expecting: Expectation = 'value';
  let index = skipWhiteSpace(text, 0);
  for (;;) {
    const code = text.charCodeAt(index);
    if (expecting === 'separatorOrEnd') {
      const innermost = open.at(-1);
      if (innermost === undefined) {
        if (index < text.length) throw new StopAt(index);
        return;
      }
      if (code === COMMA) {
        expecting = innermost === OPEN_BRACE ? 'key' : 'value';
      } else if (code === closerOf(innermost)) {
        open.pop();
      } else {
        throw new StopAt(index);
      }
      index = skipWhiteSpace(text, index + 1);
      continue;
    }
    if (expecting === 'keyOrEnd' || expecting === 'valueOrEnd') {
      const closer: number =
        expecting === 'keyOrEnd' ? CLOSE_BRACE : CLOSE_BRACKET;
      if (code === closer) {
        open.pop();
        expecting = 'separatorOrEnd';
        index = skipWhiteSpace(text, index + 1);
        continue;
      }
    }
    if (expecting === 'key' || expecting === 'keyOrEnd') {
      index = readKey(text, index);
      expecting = 'value';
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      open.push(code);
      expecting = code === OPEN_BRACE ? 'keyOrEnd' : 'valueOrEnd';
      index = skipWhiteSpace(text, index + 1);
      continue;
    }
    index = skipWhiteSpace(text, readScalar(text, index));
    expecting = 'separatorOrEnd';
  }
}

function closerOf(opener: number): number {
  return opener === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
}

/** A member's name and its colon; returns where the value starts. */
function readKey(text: string, index: number): number {
  if (text.charCodeAt(index) !== QUOTE) throw new StopAt(index);
  const colon = skipWhiteSpace(text, readString(text, index));
  if (text.charCodeAt(colon) !== COLON) throw new StopAt(colon);
  return skipWhiteSpace(text, colon + 1);
}

/** A string, number or literal; returns the position just after it. */
function readScalar(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code === QUOTE) return readString(text, index);
  if (code === MINUS || isDigit(code)) return readNumber(text, index);
  const literal = LITERALS[text.charAt(index)];
  if (literal === undefined) throw new StopAt(index);
  for (let offset = 0; offset < literal.length; offset++) {
    if (text[index + offset] !== literal[offset]) {
      throw new StopAt(index + offset);
    }
  }
  return index + literal.length;
}

function readString(text: string, start: number): number {
  let index = start + 1;
  for (;;) {
    if (index >= text.length) throw new StopAt(text.length);
    const code = text.charCodeAt(index);
    if (code === QUOTE) return index + 1;
    if (code < FIRST_PRINTABLE) throw new StopAt(index);
    index = code === BACKSLASH ? readEscape(text, index) : index + 1;
  }
}

function readEscape(text: string, backslash: number): number {
  const code = text.charCodeAt(backslash + 1);
  if (SHORT_ESCAPES.has(code)) return backslash + 2;
  if (text[backslash + 1] !== 'u') throw new StopAt(backslash + 1);
  for (let index = backslash + 2; index < backslash + 6; index++) {
    if (!HEX_DIGIT.test(text.charAt(index))) throw new StopAt(index);
  }
  return backslash + 6;
}

function readNumber(text: string, start: number): number {
  let index = text.charCodeAt(start) === MINUS ? start + 1 : start;
  if (text.charCodeAt(index) === DIGIT_ZERO) {
    index++;
  } else {
    index = readDigits(text, index);
  }
  if (text.charCodeAt(index) === DOT) index = readDigits(text, index + 1);
  const exponent = text[index];
  if (exponent === 'e' || exponent === 'E') {
    index++;
    const sign = text.charCodeAt(index);
    if (sign === PLUS || sign === MINUS) index++;
    index = readDigits(text, index);
  }
  return index;
}

/** One digit or more; returns the position after the last. */
function readDigits(text: string, start: number): number {
  if (!isDigit(text.charCodeAt(start))) throw new StopAt(start);
  let index = start + 1;
  while (isDigit(text.charCodeAt(index))) index++;
  return index;
}

function isDigit(code: number): boolean {
  return code >= DIGIT_ZERO && code <= DIGIT_NINE;
}

/** JSON's white space only: space, tab, line feed, carriage return. */
function skipWhiteSpace(text: string, start: number): number {
  let index = start;
  for (;;) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return index;
    }
    index++;
  }
}
