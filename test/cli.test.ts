import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { PROJECT_ROOT, runCli } from './helpers/run-cli.js';

const VERSION = (
  JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe('the astradial program', () => {
  test('--version prints the package version on stdout and exits 0', async () => {
    const result = await runCli({ args: ['--version'] });

    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
  });

  test('push --help lists the options and an example, exit 0', async () => {
    const result = await runCli({ args: ['push', '--help'] });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--company <code>');
    expect(result.stdout).toContain('--dry-run');
    expect(result.stdout).toContain('Examples:');
  });

  test('listen --help lists the options and an example, exit 0', async () => {
    const result = await runCli({ args: ['listen', '--help'] });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--allow-ip <address>');
    expect(result.stdout).toContain('--ready-file <path>');
    expect(result.stdout).toContain('Examples:');
  });

  test.each(['push', 'listen', 'verify', 'trigger', 'replay'])(
    '%s --help lists the options every command takes, such as --json',
    async (command) => {
      const result = await runCli({ args: [command, '--help'] });

      expect(result.stdout).toMatch(/Global Options:[\s\S]*--json/);
      expect(result.stdout).toContain('--quiet');
    },
  );

  test("an unknown command exits 2 with commander's message on stderr", async () => {
    const result = await runCli({ args: ['pusj'] });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'pusj'/);
    expect(result.stdout).toBe('');
  });

  test('a rate that is not a number exits 2 naming the option', async () => {
    const result = await runCli({ args: ['push', 'x.csv', '--rate', 'fast'] });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--rate/);
  });
});

describe('colour', () => {
  const args = ['push', '/nonexistent.csv', '--company', 'acme', '--dry-run'];

  test('is used when forced and no one says otherwise', async () => {
    const result = await runCli({ args, env: { FORCE_COLOR: '1' } });
    expect(result.stderr).toContain('\u001B[');
  });

  test.each([
    ['NO_COLOR', { FORCE_COLOR: '1', NO_COLOR: '1' }, []],
    ['--no-color', { FORCE_COLOR: '1' }, ['--no-color']],
  ])('is off with %s', async (_name, env, extra) => {
    const result = await runCli({ args: [...args, ...extra], env });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('\u001B[');
  });
});
