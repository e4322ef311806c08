import { openCsv, type CsvRecord, type CsvSource } from '../../csv/read-csv.js';
import type {
  DeliveryJob,
  DeliveryOutcome,
  DeliveryQueue,
} from '../../delivery/delivery-queue.js';
import { planColumns } from '../../leads/header-mapping.js';
import { createRowConverter } from '../../leads/row-to-lead.js';
import { type Output } from '../../output.js';
import { startProgress } from './progress.js';
import {
  isRejectsHeader,
  REJECT_COLUMNS,
  RejectsFile,
  restoreDefusedCell,
} from './rejects-file.js';
import { type PushSettings } from './settings.js';
import { summarise, type PushSummary } from './summary.js';
import { PushTally } from './tally.js';
import { watchInterrupts } from './interrupts.js';

type RowContext = { line: number; cells: string[] };

/**
 * Reads the CSV, turns each row into a lead and sends it (or, in a dry run,
 * only checks it). Every data row ends delivered or in the rejects file.
 */
export async function runPush(
  settings: PushSettings,
  output: Output,
): Promise<PushSummary> {
  const startedAt = Date.now();
  const total = await countRowsBeforeSending(settings);

  const csv = await openInput(settings);
  const rowsAreRejects = isRejectsHeader(csv.header.cells);
  const header = rowsAreRejects
    ? csv.header.cells.slice(REJECT_COLUMNS.length)
    : csv.header.cells;
  if (rowsAreRejects) {
    output.info('This is a rejects file from an earlier push: its astradial_* columns are not sent.');
  }
  const plan = planColumns(header, { map: settings.map });
  const convert = createRowConverter({
    plan,
    defaultCountry: settings.country,
    timezone: settings.timezone,
    dateFormat: settings.dateFormat,
  });

  const tally = new PushTally();
  const rejects = new RejectsFile(settings.rejectsPath, header, csv.delimiter);
  const rejectRow = (row: RowContext, reason: string, detail: string) => {
    tally.reject(reason);
    return rejects.add(row.line, row.cells, reason, detail);
  };
  // Server answers arrive in a callback; their rejects are written in order
  // through this chain, which is awaited before the file is closed.
  let lateRejects = Promise.resolve();
  const rejectLater = (row: RowContext, reason: string, detail: string) => {
    lateRejects = lateRejects.then(() => rejectRow(row, reason, detail));
    lateRejects.catch(() => {});
  };

  const queue = settings.dryRun
    ? undefined
    : await createQueue(settings, (job, outcome) =>
        recordOutcome(job, outcome, tally, rejectLater),
      );

  let stopReason: string | undefined;
  const interrupts = watchInterrupts(() => {
    stopReason = 'interrupted (Ctrl-C or SIGTERM)';
    queue?.stopAccepting();
  });
  const progress = await startProgress(output, () => ({
    done: tally.delivered + tally.ready + tally.rejected,
    total,
    delivered: tally.delivered,
    rejected: tally.rejected,
    retrying: queue?.stats().retrying ?? 0,
  }));

  try {
    const records = csv.records[Symbol.asyncIterator]();
    for (;;) {
      if (stopReason || queue?.stopReason) break;
      const next = await records.next();
      if (next.done) break;
      const row = readRow(next.value, rowsAreRejects);
      tally.rows += 1;

      const converted = convert(row.cells);
      if (!converted.ok) {
        await rejectRow(row, converted.reason, converted.detail);
        continue;
      }
      // A dry run serialises too: it does all that a send does but the request.
      const body = JSON.stringify(converted.lead);
      if (!queue) {
        tally.ready += 1;
        continue;
      }
      await queue.submit({ body, context: row });
    }
    await queue?.finish();

    const why = queue?.stopReason
      ? `the server answered ${queue.stopReason.status}`
      : stopReason;
    await lateRejects;
    if (why) {
      const detail = `Not sent: ${why}.`;
      for (const job of queue?.unsent() ?? []) {
        await rejectRow(job.context, 'not_sent', detail);
      }
      for (;;) {
        const next = await records.next();
        if (next.done) break;
        tally.rows += 1;
        await rejectRow(readRow(next.value, rowsAreRejects), 'not_sent', detail);
      }
    }
    tally.blankLines = csv.blankLineCount();
  } finally {
    progress.stop();
    interrupts.dispose();
    await rejects.close();
  }

  return summarise(tally, {
    input: settings.input,
    target: settings.target,
    dryRun: settings.dryRun,
    rejectsFile: rejects.path,
    stoppedBy: queue?.stopReason,
    secretFrom: settings.secret?.origin,
    interrupted: stopReason !== undefined,
    durationMs: Date.now() - startedAt,
  });
}

/**
 * The delivery engine and its HTTP client load only when sending: a dry run
 * of a large file keeps their memory for the rows.
 */
async function createQueue(
  settings: PushSettings,
  onOutcome: (job: DeliveryJob<RowContext>, outcome: DeliveryOutcome) => void,
): Promise<DeliveryQueue<RowContext>> {
  const { DeliveryQueue } = await import('../../delivery/delivery-queue.js');
  return new DeliveryQueue<RowContext>(
    {
      url: settings.target!.href,
      secret: settings.secret!.value,
      rate: settings.rate,
    },
    onOutcome,
  );
}

function openInput(settings: PushSettings): Promise<CsvSource> {
  return openCsv(settings.input === '-' ? process.stdin : settings.input, {
    encoding: settings.encoding,
    delimiter: settings.delimiter,
  });
}

/**
 * Before sending from a file, reads it once to count its rows. This gives
 * progress a total and finds a broken file before any lead is sent.
 */
async function countRowsBeforeSending(
  settings: PushSettings,
): Promise<number | undefined> {
  if (settings.dryRun || settings.input === '-') return undefined;
  const csv = await openInput(settings);
  let count = 0;
  for await (const _record of csv.records) count += 1;
  return count;
}

function readRow(record: CsvRecord, rowsAreRejects: boolean): RowContext {
  if (!rowsAreRejects) return record;
  return {
    line: record.line,
    cells: record.cells.slice(REJECT_COLUMNS.length).map(restoreDefusedCell),
  };
}

function recordOutcome(
  job: DeliveryJob<RowContext>,
  outcome: DeliveryOutcome,
  tally: PushTally,
  rejectLater: (row: RowContext, reason: string, detail: string) => void,
): void {
  if (outcome.kind === 'delivered') {
    tally.delivered += 1;
    return;
  }
  const detail =
    outcome.kind === 'rejected'
      ? `The server answered ${outcome.status}: ${outcome.detail}`
      : outcome.detail;
  rejectLater(job.context, outcome.reason, detail);
}
