import { describe, expect, test } from 'vitest';

import { parseEventTarget } from '../../../src/send/event-target.js';

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
