import type { Problem } from '../contract/describe-issues.js';
import type { EventKind } from '../contract/schemas.js';
import type { ExitCode } from '../errors.js';

export type { Problem } from '../contract/describe-issues.js';

/** Where a record sits in its input, as an editor would point at it. */
export type RecordLocation = {
  /** The input as the user named it; "-" is standard input. */
  file: string;
  /** 1-based line on which the record starts. */
  line: number;
  /** 0-based position in a JSON array; absent for NDJSON and lone objects. */
  index?: number;
};

/** What verify concluded about one record. */
export type RecordVerdict = {
  location: RecordLocation;
  /**
   * `skipped` is only for a capture record that holds no body (listen
   * refused the request before reading it): there is nothing to check.
   */
  outcome: 'valid' | 'invalid' | 'skipped';
  /**
   * The record's kind: recognised by its fields, forced with --type, or,
   * when it matches no kind, the nearest one (see `matchesNoKind`).
   * Absent when the record is not a JSON object at all.
   */
  kind?: EventKind;
  matchesNoKind: boolean;
  /** Empty for a valid record. */
  problems: Problem[];
  /** For a skipped record, why; e.g. `no body captured (answered 401)`. */
  note?: string;
  /** True when the record came from a listen capture line. */
  isCapture: boolean;
};

export type KindCounts = { valid: number; invalid: number };

/** The totals a run ends with; every reporter prints these. */
export type VerifySummary = {
  files: number;
  /** Inputs not checked at all: missing, unreadable, too large, or empty. */
  uncheckedFiles: number;
  records: number;
  valid: number;
  invalid: number;
  skipped: number;
  /**
   * Per kind. `none` holds records of no kind: not JSON, not a JSON object,
   * or an object with no field of any kind. Skipped records are in none.
   */
  byKind: Record<EventKind | 'none', KindCounts>;
  exitCode: ExitCode;
};

/**
 * Turns verdicts into output. Reporters write through `write` (stdout in
 * the CLI, a buffer in tests) and are called in input order.
 */
export interface Reporter {
  record(verdict: RecordVerdict): void;
  /** An input that could not be read; the run goes on with the others. */
  fileFailed(file: string, message: string): void;
  finish(summary: VerifySummary): void;
}
