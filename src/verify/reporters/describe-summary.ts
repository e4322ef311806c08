import { EVENT_KINDS, KIND_NAMES } from '../../contract/schemas.js';
import { EXIT_CODES } from '../../errors.js';
import type { KindCounts, VerifySummary } from '../verify-result.js';

/** The row for `byKind.none`. */
const NO_KIND = 'no kind';

/** One line of the closing counts: `call log  12 valid, 1 invalid`. */
export type CountRow = {
  label: string;
  count: number;
  /** The words after the count, e.g. `valid, 1 invalid` or `files`. */
  rest: string;
};

/** `1 record`, `2 records`. */
export function pluralize(count: number, noun: string): string {
  return `${count} ${nounFor(count, noun)}`;
}

/** `record` for one, `records` for any other count. */
export function nounFor(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

/** True when the run passes, so the verdict line can be green. */
export function isPassing(summary: VerifySummary): boolean {
  return summary.exitCode === EXIT_CODES.ok;
}

/**
 * The counts worth showing: each kind that occurred, records of no kind,
 * skipped records and files not checked, each only when present.
 */
export function describeCountRows(summary: VerifySummary): CountRow[] {
  const rows: CountRow[] = EVENT_KINDS.filter(
    (kind) => summary.byKind[kind].valid + summary.byKind[kind].invalid > 0,
  ).map((kind) => ({
    label: KIND_NAMES[kind],
    count: summary.byKind[kind].valid,
    rest: `valid, ${summary.byKind[kind].invalid} invalid`,
  }));
  const none = summary.byKind.none;
  if (none.valid + none.invalid > 0) rows.push(noKindRow(none));
  if (summary.skipped > 0) {
    rows.push(countRow('skipped', summary.skipped, 'record'));
  }
  if (summary.uncheckedFiles > 0) {
    rows.push(countRow('not checked', summary.uncheckedFiles, 'file'));
  }
  return rows;
}

/**
 * Records of no kind: not JSON, not an object, or matching no kind. Such a
 * record cannot pass, so the row gives its invalid count alone; the full
 * form is there in case a valid one is ever counted.
 */
function noKindRow(counts: KindCounts): CountRow {
  if (counts.valid > 0) {
    return {
      label: NO_KIND,
      count: counts.valid,
      rest: `valid, ${counts.invalid} invalid`,
    };
  }
  return { label: NO_KIND, count: counts.invalid, rest: 'invalid' };
}

function countRow(label: string, count: number, noun: string): CountRow {
  return { label, count, rest: nounFor(count, noun) };
}

/**
 * The run in one sentence, e.g. `2 of 40 records invalid in 3 files` or
 * `All 40 records valid in 3 files`; plain ASCII so any CI log shows it.
 */
export function describeOutcome(summary: VerifySummary): string {
  const extras = [
    summary.skipped > 0 ? `, ${summary.skipped} skipped` : '',
    summary.uncheckedFiles > 0
      ? `; ${pluralize(summary.uncheckedFiles, 'file')} not checked`
      : '',
  ].join('');
  return `${describeRecords(summary)} in ${pluralize(summary.files, 'file')}${extras}`;
}

function describeRecords(summary: VerifySummary): string {
  if (summary.invalid > 0) {
    return `${summary.invalid} of ${pluralize(summary.records, 'record')} invalid`;
  }
  if (summary.valid === 0) {
    return summary.records === 0 ? 'No records' : 'No records checked';
  }
  if (summary.valid === 1) return '1 record valid';
  return `All ${summary.valid} records valid`;
}
