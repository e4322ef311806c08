import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { parse } from 'csv-parse/sync';
import { afterEach, expect } from 'vitest';

import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/ingest-sandbox.js';
import { runCli, type CliResult } from './run-cli.js';
import { useTempDirectories } from './temp-directory.js';

export const SECRET = 'Tst-Secret-8f3b2c';

/**
 * Per-test plumbing for push: a sandbox on 127.0.0.1, a temp directory for
 * the CSV and rejects file, and a runner for the built CLI.
 */
export function usePushFixture() {
  const makeDirectory = useTempDirectories();
  const sandboxes: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
  });

  return {
    async sandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
      const sandbox = await startSandbox({ secret: SECRET, ...options });
      sandboxes.push(sandbox);
      return sandbox;
    },
    async writeCsv(content: string | Buffer, name = 'leads.csv') {
      const directory = await makeDirectory();
      const file = path.join(directory, name);
      await writeFile(file, content);
      return {
        directory,
        file,
        rejectsPath: path.join(
          directory,
          name.replace(/\.csv$/, '') + '.rejects.csv',
        ),
      };
    },
    makeDirectory,
    push(
      args: string[],
      options: {
        env?: Record<string, string | undefined>;
        cwd?: string;
        stdin?: string | Buffer;
        stdinFile?: string;
        killAfterMs?: number;
      } = {},
    ): Promise<CliResult> {
      return runCli({
        ...options,
        args: ['push', ...args],
        env: { ASTRADIAL_WEBHOOK_SECRET: SECRET, ...options.env },
      });
    },
  };
}

/** Rows of a CSV with CRLF line ends, as Excel writes them. */
export function csvLines(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Reads a rejects file as rows of cells, header first, after checking that
 * it starts with the byte order mark Excel needs.
 */
export async function readRejects(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse(text.slice(1), { relax_column_count: true }) as string[][];
}

/**
 * Bodies in one fixed order, for comparing what the sandbox received with
 * what was sent: push keeps several requests in flight, so under load they
 * can arrive in another order than the rows.
 */
export function sortedBodies(bodies: readonly unknown[]): unknown[] {
  return [...bodies].sort((left, right) => {
    const leftText = JSON.stringify(left);
    const rightText = JSON.stringify(right);
    if (leftText === rightText) return 0;
    return leftText < rightText ? -1 : 1;
  });
}
