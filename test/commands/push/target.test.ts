import { describe, expect, test } from 'vitest';

import {
  isLoopback,
  resolveTarget,
} from '../../../src/commands/push/target.js';

describe('isLoopback', () => {
  test.each([
    ['127.0.0.1', true],
    ['127.12.0.9', true],
    ['localhost', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['events.astradial.com', false],
    ['127.example.com', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('resolveTarget', () => {
  test('a company code means the AstraDial endpoint', () => {
    const url = resolveTarget([
      { name: 'flags', values: { company: 'acme_1' } },
    ]);
    expect(url?.href).toBe('https://events.astradial.com/acme_1');
  });

  test('the first layer naming a target wins', () => {
    const url = resolveTarget([
      { name: 'flags', values: { company: 'from-flag' } },
      { name: 'file', values: { url: 'https://example.test/from-file' } },
    ]);
    expect(url?.href).toBe('https://events.astradial.com/from-flag');
  });

  test('one layer giving both is an error', () => {
    expect(() =>
      resolveTarget([
        { name: 'flags', values: { company: 'a', url: 'https://x.test/' } },
      ]),
    ).toThrow(/both a company code and a URL/);
  });

  test.each([
    ['http://example.test/acme', 'target.insecureUrl'],
    ['ftp://127.0.0.1/acme', 'target.unsupportedProtocol'],
    ['not a url', 'target.invalidUrl'],
    ['https://user:pw@example.test/acme', 'target.credentialsInUrl'],
  ])('%s is refused with %s', (url, code) => {
    expect(() => resolveTarget([{ name: 'flags', values: { url } }])).toThrow(
      expect.objectContaining({ code, exitCode: 2 }),
    );
  });

  test('plain http to this machine is allowed', () => {
    const url = resolveTarget([
      { name: 'flags', values: { url: 'http://127.0.0.1:8787/acme' } },
    ]);
    expect(url?.port).toBe('8787');
  });
});
