import { describeServerWords, describeStatus } from './describe.js';
import type { HttpAnswer } from './http-sender.js';
import { parseRetryAfter } from './retry-after.js';

/** Pause when a 429 carries no Retry-After, or one we cannot read. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1000;

const SUCCESS_BODY = '{"status":"success"}';

/** What the delivery queue does with one answer. */
export type Verdict =
  | { action: 'deliver' }
  | { action: 'fail'; detail: string }
  | { action: 'reject'; status: number; detail: string }
  | { action: 'stop'; status: 401 | 415; detail: string }
  | { action: 'pause'; pauseMs: number }
  | { action: 'retry'; detail: string; retryAfterMs: number | undefined };

const DELIVER: Verdict = { action: 'deliver' };

/**
 * Maps an answer to a verdict, following the contract's status table:
 * 200 with `{"status":"success"}` is delivered; 401 and 415 mean every
 * request will fail the same way, so the run stops; 429 pauses everyone;
 * 5xx is retried; any other 4xx is this lead's problem.
 */
export function classifyAnswer(answer: HttpAnswer, now = Date.now()): Verdict {
  const { status, text } = answer;
  if (status >= 200 && status < 300) {
    if (isSuccessBody(text)) return DELIVER;
    // Not retried: the server may well have stored the lead.
    const words = describeServerWords(text);
    return {
      action: 'fail',
      detail: `The server answered ${status} without {"status":"success"}: ${words}`,
    };
  }
  if (status === 429) {
    const pauseMs = parseRetryAfter(answer.retryAfter, now);
    return { action: 'pause', pauseMs: pauseMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS };
  }
  if (status === 401 || status === 415) {
    return { action: 'stop', status, detail: describeServerWords(text) };
  }
  // 408 means the server gave up waiting for our request: a timeout like
  // any other, so it is retried with the 5xx answers.
  if (status === 408 || status >= 500) {
    return {
      action: 'retry',
      detail: describeStatus(status, text),
      retryAfterMs: parseRetryAfter(answer.retryAfter, now),
    };
  }
  if (status >= 400) {
    return { action: 'reject', status, detail: describeServerWords(text) };
  }
  // 1xx and 3xx: undici follows no redirect, and a POST should not be
  // replayed to another address without the user knowing.
  return {
    action: 'fail',
    detail: `The server answered ${describeStatus(status, text)}. Check the URL.`,
  };
}

/** True for `{"status":"success"}`, with any spacing or extra keys. */
export function isSuccessBody(text: string): boolean {
  if (text === SUCCESS_BODY) return true;
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { status?: unknown }).status === 'success'
    );
  } catch {
    return false;
  }
}
