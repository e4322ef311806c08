import { escapeControls } from '../../text/escape-controls.js';
import type {
  Problem,
  RecordLocation,
  RecordVerdict,
  Reporter,
  VerifySummary,
} from '../verify-result.js';
import {
  describeLocation,
  isStandardInput,
  STANDARD_INPUT_NAME,
} from './describe-location.js';
import { describeCountRows, describeOutcome } from './describe-summary.js';
import { formatMismatch, formatPath } from '../../contract/describe-issues.js';
import { describeKind, NO_PROBLEM_GIVEN } from './describe-verdict.js';
import type { WriteReport } from './reporter-options.js';

type Properties = Record<string, string | number>;

type Target = { properties: Properties; prefix: string };

/**
 * GitHub Actions workflow commands: one `::error` per problem, so each
 * shows as an annotation on the line of the file that holds the record.
 * See https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export class GithubReporter implements Reporter {
  readonly #write: WriteReport;

  constructor(write: WriteReport) {
    this.#write = write;
  }

  record(verdict: RecordVerdict): void {
    if (verdict.outcome === 'valid') return;
    const target = pointAt(verdict.location);
    if (verdict.outcome === 'skipped') {
      const note = verdict.note ?? 'nothing to check';
      this.#command('warning', target.properties, `${target.prefix}${note}`);
      return;
    }
    for (const problem of problemsOf(verdict)) {
      const properties = {
        ...target.properties,
        title: describeTitle(verdict, problem),
      };
      const message = `${target.prefix}${describeMessage(problem)}`;
      this.#command('error', properties, message);
    }
  }

  fileFailed(file: string, message: string): void {
    if (isStandardInput(file)) {
      this.#command('error', {}, `${STANDARD_INPUT_NAME}: ${message}`);
      return;
    }
    this.#command('error', { file }, message);
  }

  finish(summary: VerifySummary): void {
    const outcome = describeOutcome(summary);
    const counts = describeCountRows(summary)
      .map((row) => `${row.label}: ${row.count} ${row.rest}`)
      .join('; ');
    const notice = counts === '' ? outcome : `${outcome} (${counts})`;
    this.#command('notice', { title: 'astradial verify' }, notice);
    // GitHub shows the notice among the run's annotations; a plain line
    // keeps the outcome readable in the raw log and outside Actions too.
    this.#write(`astradial verify: ${outcome}\n`);
  }

  #command(name: string, properties: Properties, message: string): void {
    this.#write(
      `::${name}${formatProperties(properties)}::${escapeData(message)}\n`,
    );
  }
}

/**
 * Where GitHub should put the annotation. Standard input is no file it can
 * show, so there the place goes at the start of the message instead.
 */
function pointAt(location: RecordLocation): Target {
  if (isStandardInput(location.file)) {
    return { properties: {}, prefix: `${describeLocation(location)}: ` };
  }
  return {
    properties: { file: location.file, line: location.line },
    prefix: '',
  };
}

/** An invalid record always yields at least one annotation. */
function problemsOf(verdict: RecordVerdict): (Problem | undefined)[] {
  return verdict.problems.length === 0 ? [undefined] : verdict.problems;
}

/**
 * `call log: direction`. An annotation has only a line, so an array
 * element's position leads the title: `[3] call log: direction`. On
 * standard input the message already starts with the whole place.
 */
function describeTitle(
  verdict: RecordVerdict,
  problem: Problem | undefined,
): string {
  const { file, index } = verdict.location;
  const position =
    index === undefined || isStandardInput(file) ? '' : `[${index}] `;
  const kind = `${position}${describeKind(verdict)}`;
  return problem === undefined ? kind : `${kind}: ${formatPath(problem.path)}`;
}

function describeMessage(problem: Problem | undefined): string {
  return problem === undefined ? NO_PROBLEM_GIVEN : formatMismatch(problem);
}

function formatProperties(properties: Properties): string {
  const pairs = Object.entries(properties).map(
    ([key, value]) => `${key}=${escapeProperty(`${value}`)}`,
  );
  return pairs.length === 0 ? '' : ` ${pairs.join(',')}`;
}

/** GitHub's escaping for a command's message (@actions/core escapeData). */
export function escapeData(text: string): string {
  // Control characters from a payload or a file name are shown, not obeyed
  // (a line break in one would otherwise start a workflow command).
  return escapeControls(text)
    .replaceAll('%', '%25')
    .replaceAll('\r', '%0D')
    .replaceAll('\n', '%0A');
}

/** GitHub's escaping for a property value (@actions/core escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
