import type { ChalkInstance } from 'chalk';

import { escapeControls } from '../../text/escape-controls.js';
import type {
  RecordVerdict,
  Reporter,
  VerifySummary,
} from '../verify-result.js';
import { describeFile, describeLocation } from './describe-location.js';
import {
  describeCountRows,
  describeOutcome,
  isPassing,
  type CountRow,
} from './describe-summary.js';
import { formatProblem } from '../../contract/describe-issues.js';
import { describeKind, NO_PROBLEM_GIVEN } from './describe-verdict.js';
import type { ReporterOptions, WriteReport } from './reporter-options.js';

/**
 * The report for people and plain CI logs: a few lines per invalid record,
 * nothing for a valid one, counts at the end. Everything taken from the
 * input (file names, paths, found values) has its control characters
 * escaped, so a payload cannot forge report lines or recolour a terminal.
 */
export class TextReporter implements Reporter {
  readonly #write: WriteReport;
  readonly #colors: ChalkInstance;
  #hasWritten = false;

  constructor(options: ReporterOptions) {
    this.#write = options.write;
    this.#colors = options.colors;
  }

  record(verdict: RecordVerdict): void {
    if (verdict.outcome === 'valid') return;
    if (verdict.outcome === 'skipped') {
      this.#writeLines([this.#describeSkipped(verdict)]);
      return;
    }
    this.#writeLines([
      this.#describeHeader(verdict),
      ...describeProblems(verdict).map((problem) => `  ${problem}`),
    ]);
  }

  fileFailed(file: string, message: string): void {
    const line = `${describeFile(file)}: ${message}`;
    this.#writeLines([this.#colors.red(escapeControls(line))]);
  }

  finish(summary: VerifySummary): void {
    const rows = formatCountRows(describeCountRows(summary));
    const outcome = describeOutcome(summary);
    const paint = isPassing(summary) ? this.#colors.green : this.#colors.red;
    // A blank line sets the counts apart from the records above them.
    const gap = this.#hasWritten ? [''] : [];
    this.#writeLines([...gap, ...rows, paint(outcome)]);
  }

  #describeHeader(verdict: RecordVerdict): string {
    const location = escapeControls(describeLocation(verdict.location));
    const capture = verdict.isCapture ? this.#colors.dim(' (capture)') : '';
    const kind = this.#colors.red(describeKind(verdict));
    return `${this.#colors.bold(location)} ${kind}${capture}`;
  }

  #describeSkipped(verdict: RecordVerdict): string {
    const location = escapeControls(describeLocation(verdict.location));
    const note = escapeControls(verdict.note ?? 'nothing to check');
    return `${this.#colors.bold(location)} ${this.#colors.yellow('skipped')}: ${note}`;
  }

  #writeLines(lines: string[]): void {
    this.#hasWritten = true;
    this.#write(`${lines.join('\n')}\n`);
  }
}

function describeProblems(verdict: RecordVerdict): string[] {
  if (verdict.problems.length === 0) return [NO_PROBLEM_GIVEN];
  return verdict.problems.map((problem) =>
    escapeControls(formatProblem(problem)),
  );
}

/** Lines the rows up: labels padded, counts right-aligned. */
function formatCountRows(rows: CountRow[]): string[] {
  const labelWidth = Math.max(...rows.map((row) => row.label.length));
  const countWidth = Math.max(...rows.map((row) => `${row.count}`.length));
  return rows.map(
    (row) =>
      `${row.label.padEnd(labelWidth)}  ${`${row.count}`.padStart(countWidth)} ${row.rest}`,
  );
}
