import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import type { SandboxOptions } from '../../../src/sandbox/ingest-sandbox.js';

export type SandboxReport = {
  requestCount: number;
  statusCounts: Record<number, number>;
  maxRequestsInAnySecond: number;
  firstArrival: number | undefined;
  lastArrival: number | undefined;
  /** The sandbox process's CPU time since it started. */
  cpuSeconds: number;
};

const CHILD = fileURLToPath(new URL('./sandbox-child.ts', import.meta.url));

/** Starts a sandbox on 127.0.0.1 in a child process. */
export async function startChildSandbox(options: SandboxOptions) {
  const child: ChildProcess = fork(CHILD, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ url: string }];

  return {
    url: ready.url,
    async report(): Promise<SandboxReport> {
      child.send('report');
      const [report] = (await once(child, 'message')) as [SandboxReport];
      await once(child, 'exit');
      return report;
    },
  };
}
