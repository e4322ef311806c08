import type {
  DeliveryJob,
  DeliveryOutcome,
  DeliveryQueue,
} from '../../delivery/delivery-queue.js';
import { UsageError } from '../../errors.js';
import { type Output } from '../../output.js';
import { watchInterrupts } from './interrupts.js';
import { type LeadSource, type SourceRow } from './lead-source.js';
import { startProgress, type ProgressSnapshot } from './progress.js';
import { RejectsFile } from './rejects-file.js';
import { type PushSettings } from './settings.js';
import { summarise, type PushSummary } from './summary.js';
import { PushTally } from './tally.js';

type RejectRow = (
  row: SourceRow,
  reason: string,
  detail: string,
) => Promise<void>;

/**
 * Turns each row of the source into a lead and sends it (in a dry run, only
 * checks it). Every data row ends delivered or in the rejects file; when the
 * run stops early, the rows not sent go there as `not_sent`.
 */
export async function runPush(
  settings: PushSettings,
  source: LeadSource,
  output: Output,
): Promise<PushSummary> {
  const startedAt = Date.now();
  const tally = new PushTally();
  const rejects = new RejectsFile(
    settings.rejectsPath,
    source.header,
    source.delimiter,
  );
  const rejectRow: RejectRow = (row, reason, detail) => {
    tally.reject(reason);
    return rejects.add(row.line, row.cells, reason, detail);
  };

  const lateRejects = new RejectChain(rejectRow);
  const queue = settings.dryRun
    ? undefined
    : await createQueue(settings, (job, outcome) =>
        recordOutcome(job, outcome, tally, lateRejects),
      );
  let interruption: string | undefined;
  const interrupts = watchInterrupts(() => {
    interruption = 'interrupted (Ctrl-C or SIGTERM)';
    queue?.stopAccepting();
  });
  const progress = await startProgress(output, () =>
    readProgress(tally, source, queue),
  );

  let inputError: UsageError | undefined;
  try {
    const isStopped = () =>
      interruption !== undefined || queue?.stopReason !== undefined;
    inputError = await processRows(source, tally, rejectRow, queue, isStopped);
    if (inputError) queue?.stopAccepting();
    await queue?.finish();
    await lateRejects.settled();

    const stopCause = queue?.stopReason
      ? `the server answered ${queue.stopReason.status}`
      : (interruption ?? (inputError && 'the input could not be read further'));
    if (stopCause) {
      await keepUnsentRows(
        inputError ? undefined : source,
        queue,
        tally,
        rejectRow,
        `Not sent: ${stopCause}.`,
      );
    }
    tally.blankLines = source.blankLineCount();
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
    interrupted: interruption !== undefined,
    inputError: inputError?.message,
    durationMs: Date.now() - startedAt,
  });
}

function readProgress(
  tally: PushTally,
  source: LeadSource,
  queue: DeliveryQueue<SourceRow> | undefined,
): ProgressSnapshot {
  const stats = queue?.stats();
  return {
    done: tally.delivered + tally.ready + tally.rejected,
    total: source.total,
    delivered: tally.delivered,
    rejected: tally.rejected,
    retrying: stats?.retrying ?? 0,
    pausedForMs: stats?.pausedForMs ?? 0,
  };
}

/**
 * Converts rows and hands them to the queue until the input ends or a stop.
 * Returns the error of an input that broke partway; only standard input can,
 * since a file is read through once before sending.
 */
async function processRows(
  source: LeadSource,
  tally: PushTally,
  rejectRow: RejectRow,
  queue: DeliveryQueue<SourceRow> | undefined,
  isStopped: () => boolean,
): Promise<UsageError | undefined> {
  while (!isStopped()) {
    let next: IteratorResult<SourceRow>;
    try {
      next = await source.rows.next();
    } catch (error) {
      if (error instanceof UsageError) return error;
      throw error;
    }
    if (next.done) return undefined;
    const row = next.value;
    tally.rows += 1;

    const converted = source.convert(row.cells);
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
  return undefined;
}

/**
 * After a stop: rows queued but not sent, and rows not yet read (unless the
 * input itself broke, when there is nothing more to read).
 */
async function keepUnsentRows(
  source: LeadSource | undefined,
  queue: DeliveryQueue<SourceRow> | undefined,
  tally: PushTally,
  rejectRow: RejectRow,
  detail: string,
): Promise<void> {
  for (const job of queue?.unsent() ?? []) {
    await rejectRow(job.context, 'not_sent', detail);
  }
  while (source) {
    const next = await source.rows.next();
    if (next.done) return;
    tally.rows += 1;
    await rejectRow(next.value, 'not_sent', detail);
  }
}

/**
 * The delivery engine and its HTTP client load only when sending: a dry run
 * of a large file keeps their memory for the rows.
 */
async function createQueue(
  settings: PushSettings,
  onOutcome: (job: DeliveryJob<SourceRow>, outcome: DeliveryOutcome) => void,
): Promise<DeliveryQueue<SourceRow>> {
  const { DeliveryQueue } = await import('../../delivery/delivery-queue.js');
  return new DeliveryQueue<SourceRow>(
    {
      url: settings.target!.href,
      secret: settings.secret!.value,
      rate: settings.rate,
    },
    onOutcome,
  );
}

function recordOutcome(
  job: DeliveryJob<SourceRow>,
  outcome: DeliveryOutcome,
  tally: PushTally,
  lateRejects: RejectChain,
): void {
  if (outcome.kind === 'delivered') {
    tally.delivered += 1;
    return;
  }
  const detail =
    outcome.kind === 'rejected'
      ? `The server answered ${outcome.status}: ${outcome.detail}`
      : outcome.detail;
  lateRejects.add(job.context, outcome.reason, detail);
}

/**
 * Server answers arrive in a callback that cannot wait; their rejects are
 * written one after another through this chain, awaited before the file
 * closes. A write error surfaces from settled().
 */
class RejectChain {
  #tail = Promise.resolve();
  readonly #rejectRow: RejectRow;

  constructor(rejectRow: RejectRow) {
    this.#rejectRow = rejectRow;
  }

  add(row: SourceRow, reason: string, detail: string): void {
    this.#tail = this.#tail.then(() => this.#rejectRow(row, reason, detail));
    this.#tail.catch(() => {});
  }

  settled(): Promise<void> {
    return this.#tail;
  }
}
