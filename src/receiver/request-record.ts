import { createHash } from 'node:crypto';

import type { Classification } from './classify-event.js';

/**
 * One request that reached a decision: what the tail shows and the capture
 * keeps. Header values that may hold the secret are already masked.
 */
export type RequestRecord = {
  /** ISO 8601, when the request's headers arrived. */
  receivedAt: string;
  remoteAddress: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The status answered. */
  status: number;
  /** Why a request was not accepted; absent for 200. */
  reason?: string;
  /** The bytes received; absent when the body was not read. */
  body?: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  parsed?: unknown;
  /** For a JSON body: its kind, validity and schema problems. */
  event?: Classification;
  /** False when --events left this event's kind out. */
  isMatching?: boolean;
};

/**
 * The capture line for a record: the body byte-exact as base64, with its
 * SHA-256 and length, beside the parsed form.
 */
export function toCaptureLine(record: RequestRecord): string {
  const { body, event, parsed, isMatching, ...rest } = record;
  return JSON.stringify({
    ...rest,
    bodyBase64: body?.toString('base64'),
    bodySha256: body && createHash('sha256').update(body).digest('hex'),
    bodyBytes: body?.length,
    parsedBody: parsed,
    kind: event?.kind,
    valid: event?.isValid,
    problems: event?.problems,
    matched: isMatching,
  });
}
