/**
 * Checks every receiver of AstraDial-style webhooks makes: the sandbox
 * (src/sandbox/) and `astradial listen` (src/receiver/) share them.
 */
import { isUtf8 } from 'node:buffer';
import { hash, timingSafeEqual } from 'node:crypto';

import { findInvalidUtf8Index } from '../csv/utf8-validator.js';
import { isNestedDeeperThan } from './json-nesting.js';

const UTF8_BOM = '\uFEFF';

/**
 * Hashes a secret for `isSecretMatch`. Comparing fixed-length digests lets
 * `timingSafeEqual` run on values of any length: called on the raw values, it
 * throws when the lengths differ, which turned a typo into a 500 elsewhere
 * (see case C16).
 */
export function digestSecret(secret: string | Buffer): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * Node decodes header values as latin1, one character per byte, so
 * re-encoding them as latin1 gives back the bytes on the wire and a UTF-8
 * secret still matches.
 */
export function isSecretMatch(received: string, expected: Buffer): boolean {
  const receivedBytes = Buffer.from(received, 'latin1');
  return timingSafeEqual(digestSecret(receivedBytes), expected);
}

/**
 * True for `application/json`, with any parameters (`; charset=utf-8`) and in
 * any letter case, as clients such as OkHttp send it (case C14).
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const mediaType = semicolon === -1 ? header : header.slice(0, semicolon);
  return mediaType.trim().toLowerCase() === 'application/json';
}

/**
 * How deep arrays and objects may nest in a body: far above any real event
 * (AstraDial's nest two or three levels), far below what overflows the
 * stack when the parsed body is serialised again.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * A body read as JSON, or why it could not be: `problem` completes the
 * sentence "the body …", e.g. "is not valid JSON".
 */
export type JsonBodyResult =
  /** `text`: the body as parsed, without its byte order mark. */
  | { isJson: true; value: unknown; text: string }
  | { isJson: false; problem: string };

/**
 * Reads a JSON body as RFC 8259 section 8.1 asks: strict UTF-8 (a bad byte
 * is refused, not replaced with U+FFFD), a leading byte order mark ignored
 * (case C15). Nesting deeper than MAX_JSON_DEPTH is refused before parsing.
 * A body of the JSON literal `null` reads as `null`.
 */
export function readJsonBody(body: Buffer): JsonBodyResult {
  if (!isUtf8(body)) {
    const offset = findInvalidUtf8Index(body);
    return {
      isJson: false,
      problem: `is not valid UTF-8 (first bad byte at offset ${offset})`,
    };
  }
  if (isNestedDeeperThan(body, MAX_JSON_DEPTH)) {
    return {
      isJson: false,
      problem: `holds JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
    };
  }
  let text = body.toString('utf8');
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  try {
    return { isJson: true, value: JSON.parse(text) as unknown, text };
  } catch {
    return { isJson: false, problem: 'is not valid JSON' };
  }
}

/** The body as readJsonBody reads it, or `undefined` when it cannot. */
export function parseJsonBody(body: Buffer): unknown {
  const result = readJsonBody(body);
  return result.isJson ? result.value : undefined;
}
