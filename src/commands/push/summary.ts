import type { StopReason } from '../../delivery/delivery-queue.js';
import { type Output } from '../../output.js';
import { REASON_TEXT } from './reasons.js';
import { adviceForStop, describeStopWithDetail } from './stop-words.js';
import { type PushTally } from './tally.js';

export type PushOutcome =
  'delivered' | 'rowsRejected' | 'stopped' | 'interrupted' | 'inputBroken';

/** The end-of-run report; `--json` prints it as it is. */
export interface PushSummary {
  outcome: PushOutcome;
  input: string;
  target: string | null;
  dryRun: boolean;
  rows: number;
  delivered: number;
  /** Delivered by earlier runs of the same file, and not sent again. */
  alreadyDelivered: number;
  ready: number;
  /** Rows in the rejects file. */
  rejected: number;
  blankLines: number;
  /** Rows in the rejects file, by reason. */
  reasons: Record<string, number>;
  /** Rows the next run of the same command sends (journal kept). */
  left: number;
  leftReasons: Record<string, number>;
  duplicates: {
    skipped: number;
    /** The first few, as line and the earlier line it repeats. */
    examples: Array<{ line: number; sameAsLine: number }>;
  };
  /** Lines whose lead may or may not be stored (the first 1,000). */
  uncertainLines: number[];
  rejectsFile: string | null;
  /** The journal that lets a rerun resume; null when none is kept. */
  stateFile: string | null;
  /** The command that sends the rows left, when there are any. */
  resumeCommand: string | null;
  stoppedBy: StopReason | null;
  /** Where the secret came from (never the secret itself). */
  secretFrom: string | null;
  /** Why standard input could not be read to its end. */
  inputError: string | null;
  durationSeconds: number;
  /** Delivered requests per second over the run. */
  averageRate: number;
}

export interface SummaryContext {
  input: string;
  target: URL | undefined;
  dryRun: boolean;
  rejectsFile: string | undefined;
  stateFile: string | undefined;
  /** This run's command line, as a rerun would type it. */
  resumeCommand: string;
  stoppedBy: StopReason | undefined;
  secretFrom: string | undefined;
  interrupted: boolean;
  /** Why standard input could not be read to its end. */
  inputError: string | undefined;
  uncertainLines: number[];
  durationMs: number;
}

export function summarise(
  tally: PushTally,
  context: SummaryContext,
): PushSummary {
  const durationSeconds = context.durationMs / 1000;
  return {
    outcome: decideOutcome(tally, context),
    input: context.input,
    target: context.target ? context.target.href : null,
    dryRun: context.dryRun,
    rows: tally.rows,
    delivered: tally.delivered,
    alreadyDelivered: tally.alreadyDelivered,
    ready: tally.ready,
    rejected: tally.rejected,
    blankLines: tally.blankLines,
    reasons: Object.fromEntries(tally.reasons),
    left: tally.left,
    leftReasons: Object.fromEntries(tally.leftReasons),
    duplicates: {
      skipped: tally.duplicatesSkipped,
      examples: tally.duplicateExamples,
    },
    uncertainLines: context.uncertainLines,
    rejectsFile: tally.rejected > 0 ? (context.rejectsFile ?? null) : null,
    stateFile: context.stateFile ?? null,
    resumeCommand:
      tally.left > 0 && context.stateFile ? context.resumeCommand : null,
    stoppedBy: context.stoppedBy ?? null,
    secretFrom: context.secretFrom ?? null,
    inputError: context.inputError ?? null,
    durationSeconds: Math.round(durationSeconds * 10) / 10,
    averageRate:
      durationSeconds > 0
        ? Math.round((tally.delivered / durationSeconds) * 10) / 10
        : 0,
  };
}

function decideOutcome(tally: PushTally, context: SummaryContext): PushOutcome {
  if (context.stoppedBy) return 'stopped';
  if (context.interrupted) return 'interrupted';
  if (context.inputError) return 'inputBroken';
  return tally.rejected + tally.left > 0 ? 'rowsRejected' : 'delivered';
}

/** Prints the summary for a person, on stderr. */
export function printSummary(summary: PushSummary, output: Output): void {
  const { colors } = output;
  const lines = [
    ...describeCounts(summary, colors),
    ...describeEnding(summary, colors),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/**
 * With --json the counts are on stdout, but why the run stopped and what
 * to do next still belong on stderr, where a CI log shows them.
 */
export function printAdvice(summary: PushSummary, output: Output): void {
  const lines = describeEnding(summary, output.colors);
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

type Colors = Output['colors'];

function describeCounts(summary: PushSummary, colors: Colors): string[] {
  const seconds = `${summary.durationSeconds}s`;
  const lines = summary.dryRun
    ? [
        `${colors.bold('Dry run')}: ${summary.rows} rows checked in ${seconds}, nothing sent.`,
        `  ${colors.green(`${summary.ready} ready to send`)}`,
      ]
    : [
        isCompleteRun(summary)
          ? `${colors.bold('Push finished')}: ${summary.rows} rows in ${seconds} to ${summary.target}.`
          : `${colors.bold('Push stopped')} after ${seconds} to ${summary.target}: ${describeHandled(summary)}.`,
        `  ${colors.green(`${summary.delivered} delivered`)} (${summary.averageRate}/s)`,
      ];
  if (summary.alreadyDelivered > 0) {
    lines.push(
      `  ${summary.alreadyDelivered} delivered by an earlier run, not sent again`,
    );
  }
  if (summary.duplicates.skipped > 0) {
    lines.push(...describeDuplicates(summary.duplicates));
  }
  if (summary.rejected > 0) {
    lines.push(`  ${colors.red(`${summary.rejected} not delivered`)}:`);
    lines.push(...describeReasons(summary.reasons));
    lines.push(
      `  Rejected rows, with line numbers and reasons: ${summary.rejectsFile}`,
    );
  }
  if (summary.left > 0) {
    lines.push(`  ${colors.yellow(`${summary.left} left for the next run`)}:`);
    lines.push(...describeReasons(summary.leftReasons));
  }
  if (summary.blankLines > 0) {
    lines.push(`  ${summary.blankLines} blank lines skipped`);
  }
  return lines;
}

/**
 * A stopped run still accounts for every row of the file, reading those it
 * did not send; "300 rows" would hide that most were never tried. With a
 * journal they are left for the rerun; without one they are rejected as
 * not_sent.
 */
function describeHandled(summary: PushSummary): string {
  const notSent = summary.reasons.not_sent ?? 0;
  const handled = summary.rows - summary.left - notSent;
  const counts = `${handled} of ${summary.rows} rows handled`;
  if (summary.left > 0) {
    return `${counts}, ${summary.left} left for the next run`;
  }
  if (notSent > 0) {
    return `${counts}, ${notSent} not sent (in the rejects file as not_sent)`;
  }
  return counts;
}

function describeReasons(reasons: Record<string, number>): string[] {
  return Object.entries(reasons).map(([reason, count]) => {
    const label = REASON_TEXT[reason] ?? reason;
    return `    ${String(count).padStart(6)}  ${label} (${reason})`;
  });
}

function describeDuplicates(duplicates: PushSummary['duplicates']): string[] {
  const pairs = duplicates.examples
    .slice(0, 5)
    .map(({ line, sameAsLine }) => `line ${line} = line ${sameAsLine}`)
    .join(', ');
  const more = duplicates.skipped > 5 ? ', …' : '';
  return [
    `  ${duplicates.skipped} duplicates skipped (same phone number and event date as an earlier row: ${pairs}${more})`,
    '    Push with --duplicates reject to list them all in the rejects file, or --duplicates send to send them.',
  ];
}

/** Why the run stopped, if it did, and what to do next. */
function describeEnding(summary: PushSummary, colors: Colors): string[] {
  const lines: string[] = [];
  if (summary.stoppedBy) {
    lines.push(
      colors.red(`Stopped: ${describeStopWithDetail(summary.stoppedBy)}`),
      adviceForStop(summary.stoppedBy, summary),
    );
  }
  if (summary.inputError) {
    lines.push(
      colors.red(
        `The input broke off: ${summary.inputError} Rows after that point were not read; fix the input and push them.`,
      ),
    );
  }
  if (summary.outcome === 'interrupted') {
    lines.push(
      colors.yellow(
        summary.stateFile
          ? 'Interrupted: the state is saved.'
          : 'Interrupted: the rows not sent are in the rejects file as not_sent.',
      ),
    );
  }
  const uncertain = summary.reasons.uncertain ?? 0;
  if (uncertain > 0) {
    const shown = summary.uncertainLines.slice(0, 10).join(', ');
    const more = uncertain > 10 ? ', …' : '';
    lines.push(
      colors.yellow(
        `${uncertain === 1 ? '1 row' : `${uncertain} rows`} may have reached AstraDial without a confirmed answer (${uncertain === 1 ? 'line' : 'lines'} ${shown}${more}). Check in AstraDial; rerun with --resend-uncertain to send ${uncertain === 1 ? 'it' : 'them'} again.`,
      ),
    );
  }
  const hasDataRejects = Object.keys(summary.reasons).some(
    (reason) => reason !== 'uncertain',
  );
  if (hasDataRejects && !summary.dryRun) {
    lines.push(
      'Fix the rows in the rejects file and push that file: it sends only them.',
    );
  }
  if (summary.resumeCommand) {
    lines.push(describeResume(summary), `  ${summary.resumeCommand}`);
  }
  return lines;
}

/** What the rerun will do, before the command that runs it. */
function describeResume(summary: PushSummary): string {
  const { stateFile, left } = summary;
  if (summary.stoppedBy?.kind !== 'before_send_failed') {
    return `State saved in ${stateFile}. To send the ${left} rows left, run the same command again:`;
  }
  // The records after the failure are lost: the rerun cannot tell which
  // of the last rows were delivered, and reports them.
  return (
    `The state in ${stateFile} lacks what happened after it failed: ` +
    'the rerun reports the rows that were on their way then as uncertain (some were delivered, some never sent). ' +
    `Once the state file can be written, run the same command again to send the ${left} rows left, ` +
    'and check the uncertain ones in AstraDial before any --resend-uncertain:'
  );
}

function isCompleteRun(summary: PushSummary): boolean {
  return summary.outcome === 'delivered' || summary.outcome === 'rowsRejected';
}
