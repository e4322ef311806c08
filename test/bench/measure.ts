import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PEAK_REPORTER = path.join(
  PROJECT_ROOT,
  'test',
  'bench',
  'report-peak-memory.cjs',
);

export interface Measured {
  seconds: number;
  peakBytes: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The child outlived `timeoutMs` and was sent SIGTERM. */
  isTimedOut: boolean;
}

export interface MeasureOptions {
  /**
   * After this long the child gets SIGTERM. push then stops gracefully and
   * still prints its summary, so a run that is too slow reports how far it
   * got instead of holding up the whole benchmark.
   */
  timeoutMs?: number;
}

/**
 * Runs `node <args>` as a child with the peak-memory reporter preloaded and
 * returns its wall time, peak resident memory and output.
 */
export async function measureNode(
  nodeArgs: string[],
  env: Record<string, string> = {},
  options: MeasureOptions = {},
): Promise<Measured> {
  const peakFile = path.join(
    tmpdir(),
    `astradial-peak-${process.pid}-${Date.now()}`,
  );
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['--require', PEAK_REPORTER, ...nodeArgs],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, ASTRADIAL_BENCH_PEAK_FILE: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => (stdout += chunk));
  child.stderr
    .setEncoding('utf8')
    .on('data', (chunk: string) => (stderr += chunk));
  let isTimedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          isTimedOut = true;
          child.kill('SIGTERM');
        }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) =>
    child.on('close', resolve),
  );
  clearTimeout(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakBytes = Number(await readFile(peakFile, 'utf8').catch(() => 'NaN'));
  await rm(peakFile, { force: true });
  return { seconds, peakBytes, exitCode, stdout, stderr, isTimedOut };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
