import { rm } from 'node:fs/promises';

import type {
  DeliveryEvent,
  DeliveryJob,
  DeliveryOutcome,
  DeliveryQueue,
} from '../../delivery/delivery-queue.js';
import { UsageError } from '../../errors.js';
import type {
  JournalHistory,
  PushJournal,
} from '../../journal/push-journal.js';
import { type Output } from '../../output.js';
import { watchInterrupts } from './interrupts.js';
import { type LeadSource, type SourceRow } from './lead-source.js';
import { startProgress, type Progress } from './progress.js';
import { RESUMABLE_REASONS } from './reasons.js';
import { RejectChain, type DisposeRow } from './reject-chain.js';
import { RejectsFile } from './rejects-file.js';
import { resumeCommand } from './resume-command.js';
import { RowRouter } from './row-router.js';
import { RunWarnings } from './run-warnings.js';
import { type PushSettings } from './settings.js';
import { describeStop } from './stop-words.js';
import { summarise, type PushSummary } from './summary.js';
import { PushTally } from './tally.js';

/** The journal of this file, and what earlier runs put in it. */
export interface PushState {
  journal: PushJournal;
  history: JournalHistory | undefined;
}

const MAX_UNCERTAIN_LINES = 1000;

/**
 * Turns each row of the source into a lead and sends it (in a dry run, only
 * checks it). Every data row ends delivered (now or in an earlier run), a
 * skipped duplicate, in the rejects file, or, with a journal, left for the
 * next run of the same command; without one, rows not sent go to the
 * rejects file as `not_sent`.
 */
export async function runPush(
  settings: PushSettings,
  source: LeadSource,
  state: PushState | undefined,
  output: Output,
): Promise<PushSummary> {
  const startedAt = Date.now();
  const tally = new PushTally();
  const journal = state?.journal;
  const rejects = new RejectsFile(
    settings.rejectsPath,
    source.header,
    source.delimiter,
  );
  const uncertainLines: number[] = [];
  const disposeRow: DisposeRow = (row, reason, detail) => {
    if (journal && RESUMABLE_REASONS.has(reason)) {
      tally.leave(reason);
      return Promise.resolve();
    }
    tally.reject(reason);
    if (reason === 'uncertain' && uncertainLines.length < MAX_UNCERTAIN_LINES) {
      uncertainLines.push(row.line);
    }
    return rejects.add(row.line, row.cells, reason, detail);
  };

  const lateRejects = new RejectChain(disposeRow);
  let progress: Progress | undefined;
  const warnings = new RunWarnings((message) =>
    progress ? progress.note(message) : output.warn(message),
  );
  const queue = settings.dryRun
    ? undefined
    : await createQueue(
        settings,
        journal,
        (job, outcome) =>
          recordOutcome(job, outcome, tally, journal, lateRejects),
        (event) => warnings.onEvent(event),
      );
  let interruption: string | undefined;
  const interrupts = watchInterrupts((cause) => {
    interruption = cause;
    queue?.stopAccepting();
  });
  progress = await startProgress(output, () => {
    const stats = queue?.stats();
    return {
      done: tally.done,
      sent: stats ? stats.sent : tally.done,
      total: source.total,
      delivered: tally.delivered + tally.alreadyDelivered,
      rejected: tally.rejected + tally.left,
      retrying: stats?.retrying ?? 0,
      pausedForMs: stats?.pausedForMs ?? 0,
      pauseCause: stats?.pauseCause,
    };
  });
  const router = new RowRouter({
    duplicates: settings.duplicates,
    resendUncertain: settings.resendUncertain,
    history: state?.history,
    expectedRows: source.total,
  });
  const route = createRowRoute(source, router, tally, disposeRow);

  let inputError: UsageError | undefined;
  try {
    const isStopped = () =>
      interruption !== undefined || queue?.stopReason !== undefined;
    inputError = await processRows(source, route, tally, queue, isStopped);
    if (inputError) queue?.stopAccepting();
    await queue?.finish();
    await lateRejects.settled();

    const stopCause = queue?.stopReason
      ? describeStop(queue.stopReason)
      : (interruption ?? (inputError && 'the input could not be read further'));
    if (stopCause) {
      await keepUnsentRows(
        inputError ? undefined : source,
        route,
        queue,
        tally,
        disposeRow,
        `Not sent: ${stopCause}.`,
      );
    }
    tally.blankLines = source.blankLineCount();
  } finally {
    progress.stop();
    interrupts.dispose();
    await rejects.close();
    if (state?.history && rejects.count === 0) {
      await removeStaleRejects(settings.rejectsPath, output);
    }
    // After the rejects file: its time then tells whether it was edited
    // after this run (see open-state.ts). A journal that could not be
    // written already stopped the run, which the summary reports.
    await journal?.close().catch((error: unknown) => {
      if (queue?.stopReason?.kind !== 'before_send_failed') throw error;
    });
  }

  return summarise(tally, {
    input: settings.input,
    target: settings.target,
    dryRun: settings.dryRun,
    rejectsFile: rejects.path,
    stateFile: journal?.path,
    resumeCommand: resumeCommand(process.argv.slice(2)),
    stoppedBy: queue?.stopReason,
    secretFrom: settings.secret?.origin,
    interrupted: interruption !== undefined,
    inputError: inputError?.message,
    uncertainLines,
    durationMs: Date.now() - startedAt,
  });
}

/**
 * A resumed run that rejects nothing leaves no rejects file behind: the one
 * there lists rows that are now delivered, and pushing it would send them
 * again. openPushState checked that nobody edited it since it was written.
 */
async function removeStaleRejects(
  rejectsPath: string,
  output: Output,
): Promise<void> {
  try {
    await rm(rejectsPath);
    output.info(
      `Removed ${rejectsPath}: no row of this file is rejected any more.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Converts rows and hands them to the queue until the input ends or a stop.
 * Returns the error of an input that broke partway; only standard input can,
 * since a file is read through once before sending.
 */
async function processRows(
  source: LeadSource,
  route: RouteRow,
  tally: PushTally,
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

    const body = await route(row);
    if (body === undefined) continue;
    if (!queue) {
      tally.ready += 1;
      continue;
    }
    await queue.submit({ body, context: row });
  }
  return undefined;
}

/** Accounts for a row that is not to be sent; returns the JSON of one that is. */
type RouteRow = (row: SourceRow) => Promise<string | undefined>;

function createRowRoute(
  source: LeadSource,
  router: RowRouter,
  tally: PushTally,
  disposeRow: DisposeRow,
): RouteRow {
  return async (row) => {
    const converted = source.convert(row.cells);
    if (!converted.ok) {
      await disposeRow(row, converted.reason, converted.detail);
      return undefined;
    }
    const decision = router.decide(row, converted.lead);
    switch (decision.action) {
      case 'alreadyDelivered':
        tally.alreadyDelivered += 1;
        return undefined;
      case 'skipDuplicate':
        tally.skipDuplicate(row.line, decision.firstLine);
        return undefined;
      case 'reject':
        await disposeRow(row, decision.reason, decision.detail);
        return undefined;
      case 'send':
        // A dry run serialises too: it does all a send does but the request.
        return JSON.stringify(converted.lead);
    }
  };
}

/**
 * After a stop: rows queued but not sent, and rows not yet read (unless the
 * input itself broke, when there is nothing more to read). Rows read now
 * still pass every check, so this run accounts for them as a rerun will:
 * only rows that would have been sent are `not_sent`.
 */
async function keepUnsentRows(
  source: LeadSource | undefined,
  route: RouteRow,
  queue: DeliveryQueue<SourceRow> | undefined,
  tally: PushTally,
  disposeRow: DisposeRow,
  detail: string,
): Promise<void> {
  for (const job of queue?.unsent() ?? []) {
    await disposeRow(job.context, 'not_sent', detail);
  }
  while (source) {
    const next = await source.rows.next();
    if (next.done) return;
    tally.rows += 1;
    if ((await route(next.value)) === undefined) continue;
    await disposeRow(next.value, 'not_sent', detail);
  }
}

/**
 * The delivery engine and its HTTP client load only when sending: a dry run
 * of a large file keeps their memory for the rows.
 */
async function createQueue(
  settings: PushSettings,
  journal: PushJournal | undefined,
  onOutcome: (job: DeliveryJob<SourceRow>, outcome: DeliveryOutcome) => void,
  onEvent: (event: DeliveryEvent<SourceRow>) => void,
): Promise<DeliveryQueue<SourceRow>> {
  const { DeliveryQueue } = await import('../../delivery/delivery-queue.js');
  return new DeliveryQueue<SourceRow>(
    {
      url: settings.target!.href,
      secret: settings.secret!.value,
      rate: settings.rate,
      timeoutMs: settings.timeoutMs,
      maxWaitMs: settings.maxWaitMs,
      resendUncertain: settings.resendUncertain,
      onEvent,
      beforeSend: journal && ((row) => journal.markSending(row.line)),
      onNotStored: journal && ((row) => journal.recordRetry(row.line)),
    },
    onOutcome,
  );
}

function recordOutcome(
  job: DeliveryJob<SourceRow>,
  outcome: DeliveryOutcome,
  tally: PushTally,
  journal: PushJournal | undefined,
  lateRejects: RejectChain,
): void {
  const { line } = job.context;
  switch (outcome.kind) {
    case 'delivered':
      tally.delivered += 1;
      journal?.recordDelivered(line);
      return;
    case 'rejected': {
      const detail = `The server answered ${outcome.status}: ${outcome.detail}`;
      journal?.recordRejected(line, outcome.reason, detail);
      return lateRejects.add(job.context, outcome.reason, detail);
    }
    case 'uncertain': {
      journal?.recordUncertain(line, outcome.detail);
      const detail = `${outcome.detail} Check in AstraDial; rerun with --resend-uncertain to send it again.`;
      return lateRejects.add(job.context, 'uncertain', detail);
    }
    case 'failed':
      journal?.recordRetry(line);
      return lateRejects.add(job.context, outcome.reason, outcome.detail);
  }
}
