const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether `bytes`, read as JSON, opens more than `maxDepth` arrays or
 * objects inside one another. Brackets inside strings do not count. It
 * scans the bytes once without parsing, so it can run before JSON.parse:
 * a body of thousands of `[` parses, but then overflows the stack of
 * every recursive step after it (JSON.stringify for the capture, the tail).
 */
export function isNestedDeeperThan(bytes: Buffer, maxDepth: number): boolean {
  // Each level takes a byte: a shorter body cannot open that many.
  if (bytes.length <= maxDepth) return false;
  let depth = 0;
  let isInString = false;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index];
    if (isInString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) isInString = false;
    } else if (byte === QUOTE) {
      isInString = true;
    } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
  return false;
}
