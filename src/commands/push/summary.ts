import { type Output } from '../../output.js';
import { REASON_TEXT, UNCERTAIN_REASONS } from './reasons.js';
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
  ready: number;
  rejected: number;
  blankLines: number;
  reasons: Record<string, number>;
  rejectsFile: string | null;
  stoppedBy: { status: number; detail: string } | null;
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
  stoppedBy: { status: number; detail: string } | undefined;
  secretFrom: string | undefined;
  interrupted: boolean;
  /** Why standard input could not be read to its end. */
  inputError: string | undefined;
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
    ready: tally.ready,
    rejected: tally.rejected,
    blankLines: tally.blankLines,
    reasons: Object.fromEntries(tally.reasons),
    rejectsFile: tally.rejected > 0 ? (context.rejectsFile ?? null) : null,
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
  return tally.rejected > 0 ? 'rowsRejected' : 'delivered';
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

type Colors = Output['colors'];

function describeCounts(summary: PushSummary, colors: Colors): string[] {
  const seconds = `${summary.durationSeconds}s`;
  const lines = summary.dryRun
    ? [
        `${colors.bold('Dry run')}: ${summary.rows} rows checked in ${seconds}, nothing sent.`,
        `  ${colors.green(`${summary.ready} ready to send`)}`,
      ]
    : [
        `${colors.bold(isCompleteRun(summary) ? 'Push finished' : 'Push stopped')}: ${summary.rows} rows in ${seconds} to ${summary.target}.`,
        `  ${colors.green(`${summary.delivered} delivered`)} (${summary.averageRate}/s)`,
      ];
  if (summary.rejected > 0) {
    lines.push(`  ${colors.red(`${summary.rejected} not delivered`)}:`);
    for (const [reason, count] of Object.entries(summary.reasons)) {
      const label = REASON_TEXT[reason] ?? reason;
      lines.push(`    ${String(count).padStart(6)}  ${label} (${reason})`);
    }
    lines.push(
      `  Rejected rows, with line numbers and reasons: ${summary.rejectsFile}`,
    );
  }
  if (summary.blankLines > 0) {
    lines.push(`  ${summary.blankLines} blank lines skipped`);
  }
  return lines;
}

/** Why the run stopped, if it did, and what to do next. */
function describeEnding(summary: PushSummary, colors: Colors): string[] {
  const lines: string[] = [];
  if (summary.stoppedBy) {
    lines.push(
      colors.red(
        `Stopped: the server answered ${summary.stoppedBy.status} (${summary.stoppedBy.detail}).`,
      ),
      adviceForStop(summary),
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
        'Interrupted: the rows not sent are in the rejects file as not_sent.',
      ),
    );
  }
  if (summary.rejected > 0 && !summary.dryRun) {
    lines.push(
      'Fix the rows in the rejects file and push that file: it sends only them.',
    );
  }
  const uncertain = Object.keys(summary.reasons).filter((reason) =>
    UNCERTAIN_REASONS.has(reason),
  );
  if (uncertain.length > 0) {
    lines.push(
      colors.yellow(
        `Rows marked ${uncertain.join(', ')} may have reached AstraDial before the failure: check them there before pushing them again.`,
      ),
    );
  }
  return lines;
}

function isCompleteRun(summary: PushSummary): boolean {
  return summary.outcome === 'delivered' || summary.outcome === 'rowsRejected';
}

function adviceForStop(summary: PushSummary): string {
  if (summary.stoppedBy?.status === 401) {
    return `The webhook secret was refused. Check the secret from ${summary.secretFrom ?? 'your settings'}: it must be the one AstraDial issued for ${summary.target}.`;
  }
  return "The server refused the request's content type. Requests are sent as application/json; if a proxy sits between you and AstraDial, check that it leaves the Content-Type header alone.";
}
