import path from 'node:path';

import { leadsFile } from './generate-leads.js';
import { megabytes } from './measure.js';
import { missed, print } from './print.js';
import {
  type PushRun,
  pushVerified,
  UNLIMITED_RATE,
} from './push-to-sandbox.js';

const MAX_PEAK_BYTES = 150 * 1024 * 1024;
const MAX_PEAK_GROWTH = 1.2;
/**
 * A million rows slower than this are stopped: the run reports how far it
 * got rather than holding up the bench (and the shared machine) for long.
 */
const BIG_PUSH_TIMEOUT_MS = 8 * 60 * 1000;

type BigPush = { rows: number; run: PushRun };

/**
 * Pushes 100,000 and then 1,000,000 rows as fast as the CLI can go, with
 * the journal on, and compares their peak memory: a push should cost about
 * the same memory whatever the file's length.
 */
export async function benchmarkBigPush(directory: string): Promise<void> {
  print(
    '\n## Big push: journal on, sandbox without a rate limit, --rate 100000',
  );
  // The sandbox runs in this process and the CLI in a child process. Only
  // the child's memory is measured, so the sandbox costs it nothing; its
  // CPU competes with the CLI's for the same cores, as any local server
  // would, which makes the rows/s a lower bound.
  const small = await measureBigPush(directory, 100_000);
  const large = await measureBigPush(directory, 1_000_000);

  const growth = large.run.measured.peakBytes / small.run.measured.peakBytes;
  print(
    `peak memory ratio 1,000,000 / 100,000 rows: ${growth.toFixed(2)} (target <= ${MAX_PEAK_GROWTH.toFixed(2)})${missed(growth <= MAX_PEAK_GROWTH)}`,
  );
  const peak = large.run.measured.peakBytes;
  print(
    `peak memory at 1,000,000 rows: ${megabytes(peak)} (target < ${megabytes(MAX_PEAK_BYTES)})${missed(peak < MAX_PEAK_BYTES)}`,
  );
}

async function measureBigPush(
  directory: string,
  rows: number,
): Promise<BigPush> {
  const file = await leadsFile(directory, rows);
  const { run } = await pushVerified({
    file,
    rows,
    label: `push of ${rows} rows`,
    sandbox: { rateLimit: 0, record: false },
    flags: [
      '--rate',
      UNLIMITED_RATE,
      '--state',
      path.join(directory, `big-push-${rows}.push-state`),
    ],
    timeoutMs: BIG_PUSH_TIMEOUT_MS,
    beforeCheck: (measuredRun) => printBigPush(rows, measuredRun),
  });
  return { rows, run };
}

function printBigPush(rows: number, { measured, summary }: PushRun): void {
  const label = rows.toLocaleString('en').padStart(9);
  const stopped = measured.isTimedOut
    ? ` STOPPED after ${(BIG_PUSH_TIMEOUT_MS / 60_000).toFixed(0)} min,`
    : '';
  // Rows per second over the wall time: start-up, the counting pass and the
  // journal's fingerprint of the file included, as a user waits for them.
  const rowsPerSecond = summary.delivered / measured.seconds;
  print(
    `${label} rows:${stopped} ${measured.seconds.toFixed(1)} s, ${rowsPerSecond.toFixed(0)} rows/s, ` +
      `peak ${megabytes(measured.peakBytes)}, delivered ${summary.delivered}`,
  );
}
