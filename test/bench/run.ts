import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import { benchmarkBigPush } from './benchmark-big-push.js';
import { benchmarkJournalCost } from './benchmark-journal-cost.js';
import { benchmarkListen } from './benchmark-listen.js';
import { benchmarkStricterServer } from './benchmark-stricter-server.js';
import { benchmarkVerify } from './benchmark-verify.js';
import { leadsFile } from './generate-leads.js';
import { measureNode, megabytes, median, PROJECT_ROOT } from './measure.js';
import { print } from './print.js';
import { pushVerified } from './push-to-sandbox.js';
import { DEFAULT_RATE } from '../../src/commands/push/defaults.js';

const CLI = path.join(PROJECT_ROOT, 'bin', 'astradial.js');
const BASELINE = path.join(
  PROJECT_ROOT,
  'test',
  'bench',
  'baseline-dry-run.ts',
);
const PLATFORM_LIMIT = 60;

/**
 * Pushes `rows` leads at `rate` to a sandbox that limits like AstraDial
 * (60 in any second) and answers after a random 20-200 ms.
 */
async function measurePacing(directory: string, rows: number, rate: number) {
  const file = await leadsFile(directory, rows);
  // Each run keeps its own journal: the journal beside the file would
  // name the previous run's sandbox, and push refuses another target.
  const statePath = path.join(directory, `pacing-${rows}-${rate}.push-state`);
  const { run, sandbox } = await pushVerified({
    file,
    rows,
    label: `push at --rate ${rate}`,
    sandbox: { rateLimit: PLATFORM_LIMIT, latencyMs: { min: 20, max: 200 } },
    flags: ['--rate', String(rate), '--state', statePath],
  });
  const { delivered } = run.summary;
  const times = sandbox.requests.map((request) => request.receivedAt);
  const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return {
    delivered,
    deliveredRate: (delivered - 1) / spanSeconds,
    tooManyRequests: sandbox.statusCounts()[429] ?? 0,
    worstSecond: sandbox.maxRequestsInAnySecond(),
  };
}

async function benchmarkPacing(directory: string): Promise<void> {
  print(
    `\n## Pacing against a sandbox limiting at ${PLATFORM_LIMIT}/s, answering in 20-200 ms`,
  );
  const main = await measurePacing(directory, 1_200, DEFAULT_RATE);
  print(
    `default rate ${DEFAULT_RATE}/s, 1,200 rows: delivered ${main.delivered}, ` +
      `${main.deliveredRate.toFixed(1)}/s = ${(main.deliveredRate / PLATFORM_LIMIT).toFixed(3)} of 60/s ` +
      `(target >= 0.9), 429 answers: ${main.tooManyRequests} (target 0), ` +
      `most requests in any second: ${main.worstSecond}`,
  );
  print(
    'rate sweep, 600 rows each (chooses the default: the fastest with no window over 60):',
  );
  for (const rate of [57, 58, 59, 60]) {
    const result = await measurePacing(directory, 600, rate);
    print(
      `  --rate ${rate}: ${result.deliveredRate.toFixed(1)}/s delivered, ` +
        `most in any second ${result.worstSecond}, 429 answers ${result.tooManyRequests}`,
    );
  }
}

async function benchmarkDryRun(directory: string): Promise<void> {
  const rows = 1_000_000;
  print(
    `\n## --dry-run on ${rows.toLocaleString('en')} rows vs csv-parse + phone check alone`,
  );
  const file = await leadsFile(directory, rows);

  const baselineSeconds: number[] = [];
  const dryRunSeconds: number[] = [];
  const peaks: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    const baseline = await measureNode(['--import', 'tsx', BASELINE, file]);
    baselineSeconds.push(baseline.seconds);
    const dryRun = await measureNode([
      CLI,
      'push',
      file,
      '--dry-run',
      '--json',
      '--quiet',
      '--timezone',
      'Asia/Kolkata',
    ]);
    const summary = JSON.parse(dryRun.stdout) as { ready: number };
    if (summary.ready !== rows) {
      throw new Error(
        `dry run found ${summary.ready} ready rows, expected ${rows}`,
      );
    }
    dryRunSeconds.push(dryRun.seconds);
    peaks.push(dryRun.peakBytes);
  }
  const baseline = median(baselineSeconds);
  const dryRun = median(dryRunSeconds);
  print(
    `baseline: ${(rows / baseline).toFixed(0)} rows/s (${baseline.toFixed(2)} s)`,
  );
  print(
    `dry run:  ${(rows / dryRun).toFixed(0)} rows/s (${dryRun.toFixed(2)} s)`,
  );
  print(
    `speed ratio dry run / baseline: ${(baseline / dryRun).toFixed(2)} (target >= 0.8)`,
  );
  print(
    `dry run peak memory: ${megabytes(Math.max(...peaks))} (target < 150 MB)`,
  );
}

/**
 * Every section, in the order they run. The slow pushes come last, so the
 * quick ratios are printed even when a big push has to be stopped.
 */
const SECTIONS: Record<string, (directory: string) => Promise<void>> = {
  pacing: benchmarkPacing,
  'dry-run': benchmarkDryRun,
  'stricter-server': benchmarkStricterServer,
  'journal-cost': benchmarkJournalCost,
  listen: benchmarkListen,
  verify: benchmarkVerify,
  'big-push': benchmarkBigPush,
};

/** `npm run bench -- journal-cost big-push` runs only the sections named. */
function chooseSections(names: string[]): string[] {
  const unknown = names.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark section ${unknown.join(', ')}. Choose from: ${Object.keys(SECTIONS).join(', ')}.`,
    );
  }
  return names.length > 0 ? names : Object.keys(SECTIONS);
}

async function main(): Promise<void> {
  const names = chooseSections(process.argv.slice(2));
  const directory = await mkdtemp(path.join(tmpdir(), 'astradial-bench-'));
  try {
    print(
      '# astradial benchmarks (each ratio measured side by side in this run)',
    );
    print(`load average at start: ${formatLoad()}`);
    for (const name of names) await SECTIONS[name]!(directory);
    print(`\nload average at end: ${formatLoad()}`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Others share this machine: the load says how much to trust the times. */
function formatLoad(): string {
  const [one, five, fifteen] = loadavg();
  return `${one!.toFixed(2)} ${five!.toFixed(2)} ${fifteen!.toFixed(2)} (1, 5, 15 min) on ${availableParallelism()} cores`;
}

await main();
