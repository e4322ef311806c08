import type {
  RecordVerdict,
  Reporter,
  VerifySummary,
} from '../verify-result.js';
import { describeFile } from './describe-location.js';
import { nounFor } from './describe-summary.js';
import { formatProblem } from '../../contract/describe-issues.js';
import { describeKind, NO_PROBLEM_GIVEN } from './describe-verdict.js';
import type { WriteReport } from './reporter-options.js';
import { escapeXmlText, formatXmlAttributes } from './xml-text.js';

/** One file's suite while its verdicts arrive. */
type SuiteDraft = {
  file: string;
  /** Rendered test cases for invalid, skipped and unreadable outcomes. */
  cases: string[];
  valid: number;
  failures: number;
  errors: number;
  skipped: number;
};

type Totals = { tests: number; failures: number; errors: number };

const CASE_INDENT = '    ';
const DETAIL_INDENT = '      ';

/**
 * JUnit XML, the test report GitLab, Jenkins, Azure Pipelines and CircleCI
 * read: a suite per file, a failing case per invalid record, a skipped case
 * per skipped record, and one passing case standing for all of a file's
 * valid records.
 *
 * The totals belong in the opening `<testsuites>` tag, so the report is
 * written whole at `finish`. Until then each finished suite is kept as a
 * string; valid records cost only a counter, so memory grows with the
 * number of invalid and skipped records, not with the size of the input.
 */
export class JunitReporter implements Reporter {
  readonly #write: WriteReport;
  readonly #suites: string[] = [];
  readonly #totals: Totals = { tests: 0, failures: 0, errors: 0 };
  #current: SuiteDraft | undefined;

  constructor(write: WriteReport) {
    this.#write = write;
  }

  record(verdict: RecordVerdict): void {
    const suite = this.#suiteFor(verdict.location.file);
    switch (verdict.outcome) {
      case 'valid':
        suite.valid += 1;
        return;
      case 'invalid':
        suite.failures += 1;
        suite.cases.push(renderFailure(verdict));
        return;
      case 'skipped':
        suite.skipped += 1;
        suite.cases.push(renderSkipped(verdict));
        return;
    }
  }

  /** A file that failed partway keeps the suite its records started. */
  fileFailed(file: string, message: string): void {
    const suite = this.#suiteFor(file);
    suite.errors += 1;
    suite.cases.push(renderError(file, message));
  }

  /**
   * The totals come from the suites, which count test cases rather than
   * records, so the run's summary adds nothing here.
   */
  finish(_summary: VerifySummary): void {
    this.#closeSuite();
    const root = formatXmlAttributes({
      name: 'astradial verify',
      ...this.#totals,
    });
    this.#write(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites${root}>`,
        ...this.#suites,
        '</testsuites>',
        '',
      ].join('\n'),
    );
  }

  /** Verdicts come in input order: another file means this one ended. */
  #suiteFor(file: string): SuiteDraft {
    if (this.#current?.file === file) return this.#current;
    this.#closeSuite();
    this.#current = {
      file,
      cases: [],
      valid: 0,
      failures: 0,
      errors: 0,
      skipped: 0,
    };
    return this.#current;
  }

  #closeSuite(): void {
    const suite = this.#current;
    if (suite === undefined) return;
    this.#current = undefined;
    if (suite.valid > 0) suite.cases.push(renderPassing(suite));
    const tests = suite.cases.length;
    this.#totals.tests += tests;
    this.#totals.failures += suite.failures;
    this.#totals.errors += suite.errors;
    this.#suites.push(renderSuite(suite, tests));
  }
}

function renderSuite(suite: SuiteDraft, tests: number): string {
  const attributes = formatXmlAttributes({
    name: describeFile(suite.file),
    tests,
    failures: suite.failures,
    errors: suite.errors,
    skipped: suite.skipped,
  });
  return [`  <testsuite${attributes}>`, ...suite.cases, '  </testsuite>'].join(
    '\n',
  );
}

function renderFailure(verdict: RecordVerdict): string {
  const problems = verdict.problems.map(formatProblem);
  const message = summarizeProblems(problems);
  const details =
    problems.length === 0 ? NO_PROBLEM_GIVEN : problems.join('\n');
  const failure = `<failure${formatXmlAttributes({ message, type: 'invalid' })}>${escapeXmlText(details)}</failure>`;
  return renderCase(verdict.location.file, describeCase(verdict), failure);
}

/** The first problem, and how many more the failure's text lists. */
function summarizeProblems(problems: string[]): string {
  const [first] = problems;
  if (first === undefined) return NO_PROBLEM_GIVEN;
  const more = problems.length - 1;
  return more === 0 ? first : `${first} (and ${more} more)`;
}

function renderSkipped(verdict: RecordVerdict): string {
  const message = verdict.note ?? 'nothing to check';
  const skipped = `<skipped${formatXmlAttributes({ message })}/>`;
  return renderCase(verdict.location.file, describeLine(verdict), skipped);
}

function renderError(file: string, message: string): string {
  const error = `<error${formatXmlAttributes({ message, type: 'notChecked' })}/>`;
  return renderCase(file, `read ${describeFile(file)}`, error);
}

function renderPassing(suite: SuiteDraft): string {
  const name = `${suite.valid} valid ${nounFor(suite.valid, 'record')}`;
  return renderCase(suite.file, name);
}

/** A test case, with its failure, skip or error element when it has one. */
function renderCase(file: string, name: string, detail?: string): string {
  const attributes = formatXmlAttributes({
    classname: describeFile(file),
    name,
  });
  if (detail === undefined) return `${CASE_INDENT}<testcase${attributes}/>`;
  return [
    `${CASE_INDENT}<testcase${attributes}>`,
    `${DETAIL_INDENT}${detail}`,
    `${CASE_INDENT}</testcase>`,
  ].join('\n');
}

/** `line 3: call log`, or `line 14 [3]: call log` in a JSON array. */
function describeCase(verdict: RecordVerdict): string {
  return `${describeLine(verdict)}: ${describeKind(verdict)}`;
}

function describeLine(verdict: RecordVerdict): string {
  const { line, index } = verdict.location;
  return index === undefined ? `line ${line}` : `line ${line} [${index}]`;
}
