import path from 'node:path';

import type { PushSummary } from '../../src/commands/push/summary.js';
import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/ingest-sandbox.js';
import { measureNode, PROJECT_ROOT, type Measured } from './measure.js';

const CLI = path.join(PROJECT_ROOT, 'bin', 'astradial.js');
export const BENCH_SECRET = 'bench-secret';
/** A --rate far above what the CLI reaches, so its pacer never waits. */
export const UNLIMITED_RATE = '100000';

export interface PushRunOptions {
  file: string;
  sandbox: Sandbox;
  /** Extra flags after `--json --quiet`: `--rate`, `--state`, `--no-state`. */
  flags?: string[];
  /** SIGTERM the CLI after this long; see `MeasureOptions`. */
  timeoutMs?: number;
}

export type PushRun = { measured: Measured; summary: PushSummary };

/**
 * Runs `astradial push <file> --url <sandbox>/bench --json --quiet` in a
 * child process, with the peak-memory reporter, and parses its summary.
 * Throws when the CLI printed no summary (it crashed or refused to start).
 */
export async function pushToSandbox(options: PushRunOptions): Promise<PushRun> {
  const { file, sandbox, flags = [], timeoutMs } = options;
  const measured = await measureNode(
    [
      CLI,
      'push',
      file,
      '--url',
      `${sandbox.url}/bench`,
      '--json',
      '--quiet',
      ...flags,
    ],
    { ASTRADIAL_WEBHOOK_SECRET: BENCH_SECRET },
    { timeoutMs },
  );
  try {
    return { measured, summary: JSON.parse(measured.stdout) as PushSummary };
  } catch (error) {
    throw new Error(
      `push of ${file} printed no summary (exit code ${measured.exitCode}). Its stderr:\n${measured.stderr}`,
      { cause: error },
    );
  }
}

/**
 * Every row delivered exactly once: the CLI says it delivered them all,
 * none of them counted as delivered by an earlier run (a resumed journal
 * would skip rows and flatter the timing), and the sandbox stored each one.
 */
export function verifyAllDelivered(
  label: string,
  { measured, summary }: PushRun,
  sandbox: Sandbox,
  rows: number,
): void {
  const problems: string[] = [];
  if (measured.isTimedOut) problems.push('it was stopped for taking too long');
  if (measured.exitCode !== 0) {
    problems.push(`the CLI exited with ${measured.exitCode}`);
  }
  if (summary.delivered !== rows) {
    problems.push(`the summary says ${summary.delivered} delivered`);
  }
  if (summary.alreadyDelivered !== 0) {
    problems.push(`${summary.alreadyDelivered} were skipped as delivered`);
  }
  if (sandbox.storedCount() !== rows) {
    problems.push(`the sandbox stored ${sandbox.storedCount()}`);
  }
  if (problems.length === 0) return;
  throw new Error(
    `${label}: expected ${rows} rows delivered exactly once, but ${problems.join('; ')}. Summary: ${JSON.stringify(summary)}\nstderr:\n${measured.stderr}`,
  );
}

export interface VerifiedPushOptions {
  file: string;
  rows: number;
  /** Names the push in an error: "push at --rate 57". */
  label: string;
  /** How the sandbox limits and answers; the secret is the bench's. */
  sandbox: Omit<SandboxOptions, 'secret'>;
  flags?: string[];
  timeoutMs?: number;
  /** Sees the run before the check, so a failed run is still reported. */
  beforeCheck?: (run: PushRun) => void;
}

/**
 * Starts a sandbox, pushes `file` to it, checks that every row arrived
 * exactly once (`verifyAllDelivered`), and closes it. The closed sandbox
 * keeps its counters for the caller to read.
 */
export async function pushVerified(
  options: VerifiedPushOptions,
): Promise<{ run: PushRun; sandbox: Sandbox }> {
  const sandbox = await startSandbox({
    secret: BENCH_SECRET,
    ...options.sandbox,
  });
  try {
    const run = await pushToSandbox({
      file: options.file,
      sandbox,
      flags: options.flags,
      timeoutMs: options.timeoutMs,
    });
    options.beforeCheck?.(run);
    verifyAllDelivered(options.label, run, sandbox, options.rows);
    return { run, sandbox };
  } finally {
    await sandbox.close();
  }
}
