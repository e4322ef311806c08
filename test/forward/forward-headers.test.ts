import { describe, expect, test } from 'vitest';

import { forwardHeaders } from '../../src/forward/forward-headers.js';

describe('forwardHeaders', () => {
  test('keeps end-to-end headers with their case, order and repeats, the secret included', () => {
    // prettier-ignore
    const raw = [
      'Host', '127.0.0.1:8787',
      'Content-Type', 'application/json; charset=utf-8',
      'X-Webhook-Secret', 'Tst-Secret-8f3b2c',
      'X-Trace', 'one',
      'Content-Length', '42',
      'x-trace', 'two',
    ];

    // prettier-ignore
    expect(forwardHeaders(raw)).toEqual([
      'Content-Type', 'application/json; charset=utf-8',
      'X-Webhook-Secret', 'Tst-Secret-8f3b2c',
      'X-Trace', 'one',
      'x-trace', 'two',
    ]);
  });

  test('drops hop-by-hop headers and those the Connection header names', () => {
    // prettier-ignore
    const raw = [
      'Connection', 'keep-alive, X-Hop',
      'Keep-Alive', 'timeout=5',
      'Transfer-Encoding', 'chunked',
      'TE', 'trailers',
      'Trailer', 'X-Checksum',
      'Upgrade', 'h2c',
      'Expect', '100-continue',
      'Proxy-Authorization', 'Basic abc',
      'Proxy-Connection', 'keep-alive',
      'X-Hop', 'only for this hop',
      'User-Agent', 'AstraDial-Webhooks/1.0',
    ];

    expect(forwardHeaders(raw)).toEqual([
      'User-Agent',
      'AstraDial-Webhooks/1.0',
    ]);
  });
});
