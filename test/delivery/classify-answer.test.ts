import { describe, expect, test } from 'vitest';

import {
  classifyAnswer,
  MAX_RATE_LIMIT_PAUSE_MS,
} from '../../src/delivery/classify-answer.js';
import {
  describeConnectionError,
  describeServerWords,
} from '../../src/delivery/describe.js';

const answer = (
  status: number,
  text = '',
  retryAfter?: string,
  isTruncated = false,
) => ({ status, text, retryAfter, isTruncated });
const NOW = Date.UTC(2026, 2, 15, 5, 0, 0);

describe('classifyAnswer', () => {
  test('200 success is delivered, with any spacing', () => {
    expect(classifyAnswer(answer(200, '{"status":"success"}'))).toEqual({
      action: 'deliver',
    });
    expect(
      classifyAnswer(answer(200, '{ "status" : "success", "id": 7 }')),
    ).toEqual({ action: 'deliver' });
  });

  test('a 2xx with another body stops the run, and the lead may be stored', () => {
    const portal = classifyAnswer(
      answer(200, '<html><title>Hotel Wi-Fi login</title></html>'),
    );
    expect(portal).toEqual({
      action: 'stop',
      kind: 'unexpected_answer',
      status: 200,
      mayBeStored: true,
      detail: expect.stringContaining(
        'The server answered 200 without {"status":"success"}: Hotel Wi-Fi login. A proxy or a Wi-Fi login page',
      ),
    });
    expect(classifyAnswer(answer(200, '{"status":"queued"}'))).toMatchObject({
      action: 'stop',
      mayBeStored: true,
    });
    expect(classifyAnswer(answer(204))).toMatchObject({
      action: 'stop',
      status: 204,
    });
  });

  test('429 pauses for Retry-After, 1 s when it is missing or garbage', () => {
    expect(classifyAnswer(answer(429, '', '3'), NOW)).toEqual({
      action: 'pause',
      pauseMs: 3000,
    });
    expect(
      classifyAnswer(answer(429, '', 'Sun, 15 Mar 2026 05:00:02 GMT'), NOW),
    ).toEqual({ action: 'pause', pauseMs: 2000 });
    expect(classifyAnswer(answer(429), NOW)).toEqual({
      action: 'pause',
      pauseMs: 1000,
    });
    expect(classifyAnswer(answer(429, '', 'later'), NOW)).toEqual({
      action: 'pause',
      pauseMs: 1000,
    });
  });

  test('a Retry-After longer than 5 minutes pauses for 5 minutes', () => {
    expect(MAX_RATE_LIMIT_PAUSE_MS).toBe(300_000);
    // 11 days, 34 days (past the longest Node timer) and a year ahead.
    const yearAhead = new Date(NOW + 365 * 86_400_000).toUTCString();
    for (const retryAfter of ['999999', '3000000', yearAhead]) {
      expect(classifyAnswer(answer(429, '', retryAfter), NOW)).toEqual({
        action: 'pause',
        pauseMs: MAX_RATE_LIMIT_PAUSE_MS,
      });
    }
    expect(classifyAnswer(answer(429, '', '300'), NOW)).toEqual({
      action: 'pause',
      pauseMs: 300_000,
    });
  });

  test('a body cut at the cap is delivered when it opens with "status":"success"', () => {
    const cut = (opening: string) =>
      answer(200, `${opening}"echo":"${'x'.repeat(100)}`, undefined, true);

    expect(classifyAnswer(cut('{"status":"success",'))).toEqual({
      action: 'deliver',
    });
    expect(classifyAnswer(cut(' {\n "status" : "success" ,'))).toEqual({
      action: 'deliver',
    });
  });

  test('a body cut at the cap that does not open with success fails and says why', () => {
    for (const opening of [
      '{"id":7,"status":"success",',
      '{"status":"successful",',
    ]) {
      const verdict = classifyAnswer(
        answer(200, `${opening}"echo":"xyz`, undefined, true),
      );
      expect(verdict).toEqual({
        action: 'stop',
        kind: 'unexpected_answer',
        status: 200,
        mayBeStored: true,
        detail: expect.stringContaining(
          'The server answered 200 with a body over 64 KB that does not start with {"status":"success"}, so it was not read to the end:',
        ),
      });
    }
  });

  test('401 and 415 stop the run with the server words', () => {
    expect(
      classifyAnswer(
        answer(401, '{"status":"error","message":"Invalid webhook secret"}'),
      ),
    ).toEqual({
      action: 'stop',
      kind: 'unauthorized',
      status: 401,
      detail: 'Invalid webhook secret',
      mayBeStored: false,
    });
    expect(classifyAnswer(answer(415, 'Unsupported'))).toEqual({
      action: 'stop',
      kind: 'unsupported_media_type',
      status: 415,
      detail: 'Unsupported',
      mayBeStored: false,
    });
  });

  test('5xx and 408 are retried; other 4xx rejected; 3xx stops, nothing stored', () => {
    expect(classifyAnswer(answer(503, '{"message":"down"}', '2'), NOW)).toEqual(
      {
        action: 'retry',
        detail: '503 Service Unavailable: down',
        retryAfterMs: 2000,
      },
    );
    expect(classifyAnswer(answer(408))).toMatchObject({ action: 'retry' });
    expect(
      classifyAnswer(answer(422, '{"error":"phone_number is required"}')),
    ).toEqual({
      action: 'reject',
      status: 422,
      detail: 'phone_number is required',
    });
    expect(classifyAnswer(answer(301))).toMatchObject({
      action: 'stop',
      kind: 'unexpected_answer',
      mayBeStored: false,
    });
  });
});

describe('server words', () => {
  test('an HTML error page is reduced to its title', () => {
    expect(
      describeServerWords(
        '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      ),
    ).toBe('502 Bad Gateway');
  });

  test('long words are trimmed to 300 characters on one line', () => {
    const words = describeServerWords(`line one\n${'x'.repeat(1000)}`);
    expect(words).toHaveLength(300);
    expect(words).not.toContain('\n');
    expect(words.endsWith('…')).toBe(true);
  });

  test('an empty body says so', () => {
    expect(describeServerWords('  ')).toBe('(no message)');
  });
});

describe('connection errors', () => {
  test('codes are explained in plain words, also when nested', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:9'),
      { code: 'ECONNREFUSED' },
    );
    expect(describeConnectionError(refused, 30_000)).toBe(
      'the connection was refused: nothing is listening at that address and port (ECONNREFUSED)',
    );

    const wrapped = Object.assign(new Error('fetch failed'), {
      code: 'UND_ERR',
      cause: refused,
    });
    expect(describeConnectionError(wrapped, 30_000)).toContain(
      '(ECONNREFUSED)',
    );
    const aggregate = new AggregateError([refused], 'all failed');
    expect(describeConnectionError(aggregate, 30_000)).toContain(
      '(ECONNREFUSED)',
    );
  });

  test('timeouts name the limit', () => {
    const timeout = Object.assign(new Error('Headers Timeout Error'), {
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(describeConnectionError(timeout, 2000)).toBe(
      'the server did not answer within the timeout of 2 s (UND_ERR_HEADERS_TIMEOUT)',
    );
  });

  test('unknown errors keep their message and code', () => {
    const odd = Object.assign(new Error('something odd'), { code: 'EODD' });
    expect(describeConnectionError(odd, 1000)).toBe('something odd (EODD)');
  });
});
