import path from 'node:path';

import { leadsFile } from './generate-leads.js';
import { median } from './measure.js';
import { missed, print } from './print.js';
import { pushVerified, UNLIMITED_RATE } from './push-to-sandbox.js';

/** Enough rows that each run takes 10 s or more on a quiet 2-core machine. */
const ROWS = 200_000;
const ROUNDS = 4;
const MAX_COST = 1.1;

/**
 * The same push with the journal (the default) and with --no-state, in
 * rounds of ABBA order, so that a drift in the machine's load hits both
 * alike; the medians of four runs each ride over a single disturbed run.
 * Every journal run gets a new state path: a journal left by an earlier
 * run would resume it and skip the rows it delivered.
 */
export async function benchmarkJournalCost(directory: string): Promise<void> {
  print(
    `\n## Journal cost: ${ROWS.toLocaleString('en')} rows with the journal and with --no-state, no rate limit, ${ROUNDS} rounds ABBA`,
  );
  const file = await leadsFile(directory, ROWS);

  const withJournal: number[] = [];
  const withoutJournal: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const statePath = path.join(directory, `journal-cost-${round}.push-state`);
    const runs = [
      { times: withJournal, flags: ['--state', statePath] },
      { times: withoutJournal, flags: ['--no-state'] },
    ];
    if (round % 2 === 1) runs.reverse();
    for (const { times, flags } of runs)
      times.push(await timePush(file, flags));
  }

  const journalSeconds = median(withJournal);
  const plainSeconds = median(withoutJournal);
  print(
    `with journal:    ${(ROWS / journalSeconds).toFixed(0)} rows/s (median ${journalSeconds.toFixed(2)} s of ${formatSeconds(withJournal)})`,
  );
  print(
    `with --no-state: ${(ROWS / plainSeconds).toFixed(0)} rows/s (median ${plainSeconds.toFixed(2)} s of ${formatSeconds(withoutJournal)})`,
  );
  const cost = journalSeconds / plainSeconds;
  print(
    `time ratio with / without journal: ${cost.toFixed(2)} (target <= ${MAX_COST.toFixed(2)})${missed(cost <= MAX_COST)}`,
  );
}

/** Wall seconds of one verified push of the whole file. */
async function timePush(file: string, flags: string[]): Promise<number> {
  const { run } = await pushVerified({
    file,
    rows: ROWS,
    label: `push with ${flags[0]}`,
    sandbox: { rateLimit: 0, record: false },
    flags: ['--rate', UNLIMITED_RATE, ...flags],
  });
  verifyJournalKept(run.summary.stateFile, flags);
  return run.measured.seconds;
}

/** A benchmark of the journal means nothing if the flags did not apply. */
function verifyJournalKept(stateFile: string | null, flags: string[]): void {
  const isExpected = !flags.includes('--no-state');
  if ((stateFile !== null) === isExpected) return;
  throw new Error(
    `push with ${flags.join(' ')} ${isExpected ? 'kept no journal' : `kept a journal at ${stateFile}`}.`,
  );
}

function formatSeconds(values: number[]): string {
  return values.map((value) => value.toFixed(2)).join(', ');
}
