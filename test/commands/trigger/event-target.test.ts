import { describe, expect, test } from 'vitest';

import {
  parseEventTarget,
  verifySecretNotInTarget,
} from '../../../src/send/event-target.js';

// Only parsing: nothing here connects anywhere.
describe('parseEventTarget, as trigger uses it for --to', () => {
  test.each([
    ['http://127.0.0.1:3000/hooks'],
    ['http://localhost:3000/hooks'],
    ['http://[::1]:3000/hooks'],
    ['https://staging.example.com/hooks'],
  ])('%s is allowed without --insecure', (text) => {
    expect(parseEventTarget(text, false).href).toBe(new URL(text).href);
  });

  test('plain http to another machine is refused without --insecure', () => {
    expect(() => parseEventTarget('http://192.0.2.1/hooks', false)).toThrow(
      expect.objectContaining({ code: 'target.insecureUrl', exitCode: 2 }),
    );
  });

  test('plain http to another machine passes with --insecure', () => {
    expect(parseEventTarget('http://192.0.2.1/hooks', true).href).toBe(
      'http://192.0.2.1/hooks',
    );
  });
});

describe('a --to without a scheme', () => {
  test('is refused with the URL it likely meant', () => {
    expect(() => parseEventTarget('localhost:3000/hooks', false)).toThrow(
      /Did you mean http:\/\/localhost:3000\/hooks\?/,
    );
  });
});

describe('the secret in the --to URL', () => {
  test('is refused, as sent or percent-encoded', () => {
    const secret = 'Tst-Secret-8f3b2c';
    for (const url of [
      `http://127.0.0.1:3000/hooks?token=${secret}`,
      'http://127.0.0.1:3000/Tst%2DSecret-8f3b2c/hooks',
    ]) {
      expect(() => verifySecretNotInTarget(new URL(url), secret)).toThrow(
        /holds the webhook secret/,
      );
    }
    expect(() =>
      verifySecretNotInTarget(new URL('http://127.0.0.1:3000/hooks'), secret),
    ).not.toThrow();
  });
});
