import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startSandbox } from './sandbox/ingest-sandbox.js';

/**
 * `npm run demo`: starts the sandbox on 127.0.0.1, pushes fixtures/leads.csv
 * to it at the real pace through the built CLI, and shows what the sandbox
 * saw. Nothing leaves this machine.
 */
async function runDemo(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const secret = randomBytes(16).toString('hex');
  const sandbox = await startSandbox({
    secret,
    latencyMs: { min: 20, max: 200 },
  });
  const workDirectory = await mkdtemp(path.join(tmpdir(), 'astradial-demo-'));
  const rejectsPath = path.join(workDirectory, 'leads.rejects.csv');

  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'astradial.js'),
        'push',
        path.join(root, 'fixtures', 'leads.csv'),
        '--url',
        `${sandbox.url}/demo_company`,
        '--timezone',
        'Asia/Kolkata',
        '--rejects',
        rejectsPath,
        // Each demo has its own sandbox, so its own journal too.
        '--state',
        path.join(workDirectory, 'leads.csv.push-state'),
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, ASTRADIAL_WEBHOOK_SECRET: secret },
      },
    );
    child.on('exit', (code) => resolve(code ?? 1));
  });
  await sandbox.close();

  process.stderr.write(
    [
      '',
      `The sandbox answered: ${JSON.stringify(sandbox.statusCounts())}`,
      `Most requests it saw in any one second: ${sandbox.maxRequestsInAnySecond()} (the limit is 60).`,
      `push exited with ${exitCode}: 1 means some rows were rejected, as this file means them to be.`,
      `Open the rejects file to see each rejected row, its line and its reason: ${rejectsPath}`,
      '',
    ].join('\n'),
  );
}

await runDemo();
