/**
 * Checks every receiver of AstraDial-style webhooks makes: the sandbox
 * (src/sandbox/) and `astradial listen` (src/receiver/) share them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const UTF8_BOM = '\uFEFF';

/**
 * Hashes a secret for `isSecretMatch`. Comparing fixed-length digests lets
 * `timingSafeEqual` run on values of any length: called on the raw values, it
 * throws when the lengths differ, which turned a typo into a 500 elsewhere
 * (see case C16).
 */
export function digestSecret(secret: string | Buffer): Buffer {
  return createHash('sha256').update(secret).digest();
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
 * Parses a JSON body, ignoring a leading UTF-8 byte order mark as RFC 8259
 * section 8.1 allows (case C15). Returns `undefined` for malformed JSON;
 * a body of the JSON literal `null` is returned as `null`.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text = body.toString('utf8');
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
