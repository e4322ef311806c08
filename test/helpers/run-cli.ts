import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_PATH = path.join(PROJECT_ROOT, 'bin', 'astradial.js');

export interface CliResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string | Buffer;
  /** A file to redirect standard input from, as `< file` does. */
  stdinFile?: string;
  /**
   * Kill the child after this long, so that a run that never ends (a bug
   * the test is there to catch) fails the test instead of outliving it.
   */
  killAfterMs?: number;
}

/**
 * Runs the built CLI as a child process, the way a user runs it. The
 * child's environment starts without any ASTRADIAL_* variable of ours.
 */
export function runCli(run: CliRun): Promise<CliResult> {
  const child = startCli(run);
  return child.result;
}

export function startCli(run: CliRun) {
  const environment: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('ASTRADIAL_') && key !== 'FORCE_COLOR') {
      environment[key] = value;
    }
  }
  const stdinFile = run.stdinFile ? openSync(run.stdinFile, 'r') : undefined;
  const child = spawn(process.execPath, [CLI_PATH, ...run.args], {
    cwd: run.cwd ?? PROJECT_ROOT,
    env: { ...environment, ...run.env },
    stdio: [stdinFile ?? 'pipe', 'pipe', 'pipe'],
  });
  if (stdinFile !== undefined) closeSync(stdinFile);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.on('error', () => {});
  child.stdin?.end(run.stdin ?? '');

  const deadline =
    run.killAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill('SIGKILL'), run.killAfterMs);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
  return {
    child,
    result,
    stderrSoFar: () => stderr,
  };
}
