import type { IncomingMessage } from 'node:http';

import { findRepeatedKeys } from '../contract/find-repeated-key.js';
import { isJsonContentType, readJsonBody } from '../webhook/request-checks.js';
import type { RateLimitWindow } from '../webhook/sliding-window.js';
import type { AllowList } from './allow-list.js';
import { classifyEvent, type Classification } from './classify-event.js';
import { checkSecret, type SecretRules } from './secret-check.js';

/** A request turned away, with what the tail and the sender are told. */
export type Rejection = {
  status: number;
  reason: string;
  /** Sent with the answer; the record keeps the request's own headers. */
  responseHeaders?: Record<string, string>;
};

export interface GateRules extends SecretRules {
  allowList?: AllowList;
  /** Absent when --rate-limit 0 turned the limit off. */
  rateLimiter?: RateLimitWindow;
  rateLimit: number;
  /** Only this path accepts events, when given. */
  path?: string;
  maxBodyBytes: number;
}

/**
 * Every check that needs only the request line and headers, in the order a
 * gateway makes them: who may send at all (403, 429), where and how (404,
 * 405), the secret (401), then the body's declared type, encoding and
 * size (415, 413).
 * Returns undefined when the body should be read.
 */
export function checkBeforeBody(
  request: IncomingMessage,
  address: string,
  rules: GateRules,
): Rejection | undefined {
  if (rules.allowList && !rules.allowList.isAllowed(address)) {
    return { status: 403, reason: `${address} is not in --allow-ip` };
  }
  if (rules.rateLimiter) {
    const now = Date.now();
    const isLimited = rules.rateLimiter.isOverLimit(address, now);
    rules.rateLimiter.record(address, now);
    if (isLimited) {
      return {
        status: 429,
        reason: `more than ${rules.rateLimit} requests in one second from ${address}`,
        responseHeaders: { 'retry-after': '1' },
      };
    }
  }
  if (rules.path !== undefined && pathOf(request.url) !== rules.path) {
    return { status: 404, reason: `events are accepted only on ${rules.path}` };
  }
  if (request.method !== 'POST') {
    return {
      status: 405,
      reason: `method ${request.method} (only POST is accepted)`,
      responseHeaders: { allow: 'POST' },
    };
  }
  const secret = checkSecret(request, rules);
  if (!secret.isValid) return { status: 401, reason: secret.reason };

  const contentType = request.headers['content-type'];
  if (!isJsonContentType(contentType)) {
    const found =
      contentType === undefined
        ? 'none'
        : `"${rules.secretMask.hide(contentType)}"`;
    return {
      status: 415,
      reason: `Content-Type must be application/json (found ${found})`,
    };
  }
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    // AstraDial sends plain JSON. A compressed body read as JSON would be
    // refused as "not UTF-8", which names the wrong cause.
    return {
      status: 415,
      reason: `Content-Encoding "${rules.secretMask.hide(encoding)}" is not supported: send the JSON uncompressed`,
    };
  }
  const transfer = request.headers['transfer-encoding'];
  if (transfer !== undefined && !isPlainTransfer(transfer)) {
    // node:http undoes only the chunking; a gzip transfer coding would
    // reach the body unread, the same wrong "not UTF-8" as above.
    return {
      status: 415,
      reason: `Transfer-Encoding "${rules.secretMask.hide(transfer)}" is not supported: send the JSON uncompressed (chunked is fine)`,
    };
  }
  const declared = Number(request.headers['content-length']);
  if (declared > rules.maxBodyBytes) return tooLarge(declared, rules);
  return undefined;
}

/** `chunked`, or `identity, chunked`: codings node:http reads for us. */
function isPlainTransfer(header: string): boolean {
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .every((coding) => coding === 'chunked' || coding === 'identity');
}

export function tooLarge(bytes: number, rules: GateRules): Rejection {
  return {
    status: 413,
    reason: `body of ${bytes} bytes or more is over --max-body (${rules.maxBodyBytes} bytes)`,
  };
}

export type BodyVerdict = {
  status: number;
  reason?: string;
  parsed?: unknown;
  event?: Classification;
};

/**
 * Parses and classifies a complete body. A body that is not UTF-8, nests
 * too deeply or is malformed JSON is 400; an invalid or unknown event is
 * 200 (the real receiver acknowledges it too) unless `isStrict`, then 400.
 */
export function checkBody(body: Buffer, isStrict: boolean): BodyVerdict {
  const result = readJsonBody(body);
  if (!result.isJson) {
    return { status: 400, reason: `the body ${result.problem}` };
  }
  const parsed = result.value;
  const event = classifyEvent(parsed, findRepeatedKeys(result.text));
  if (isStrict && !event.isValid) {
    const reason = `invalid ${event.kind} event (--strict): ${event.problems.join('; ')}`;
    return { status: 400, reason, parsed, event };
  }
  return { status: 200, parsed, event };
}

function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : url!.slice(0, query);
}
