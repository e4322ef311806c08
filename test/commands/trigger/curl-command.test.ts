import { execFileSync } from 'node:child_process';

import { describe, expect, test } from 'vitest';

import {
  formatCurlCommand,
  quoteShellWord,
} from '../../../src/commands/trigger/curl-command.js';

/** What the shell makes of `word`: the single argument it becomes. */
function throughShell(word: string): string {
  return execFileSync('/bin/sh', ['-c', `printf %s ${word}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nowhere' },
  });
}

describe('quoteShellWord', () => {
  test.each([
    ['plain'],
    ["it's"],
    ["''"],
    ['$HOME and ${HOME} and $(id) and `id`'],
    ['back\\slash "double" !bang *glob ?'],
    ['line one\nline two\r\n\ttab'],
    ['नमस्ते, é, 😀'],
    [''],
  ])('%j comes back from the shell unchanged', (text) => {
    expect(throughShell(quoteShellWord(text))).toBe(text);
  });
});

describe('formatCurlCommand', () => {
  test('quotes each word, and reads the secret from the environment', () => {
    const command = formatCurlCommand({
      url: new URL('http://127.0.0.1:3000/hooks?team=a&x=1'),
      headers: [
        ['Content-Type', 'application/json'],
        ['User-Agent', 'astradial-cli'],
      ],
      body: `{"note":"it's $5"}`,
    });

    expect(command).toMatchInlineSnapshot(
      `"curl -X POST 'http://127.0.0.1:3000/hooks?team=a&x=1' -H 'Content-Type: application/json' -H 'User-Agent: astradial-cli' -H "X-Webhook-Secret: $ASTRADIAL_WEBHOOK_SECRET" --data-binary '{"note":"it'\\''s $5"}'"`,
    );
  });
});
