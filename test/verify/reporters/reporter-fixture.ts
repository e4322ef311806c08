import { Chalk } from 'chalk';

import { EXIT_CODES } from '../../../src/errors.js';
import type {
  Problem,
  RecordVerdict,
  Reporter,
  VerifySummary,
} from '../../../src/verify/verify-result.js';

export const PLAIN = new Chalk({ level: 0 });
export const COLOURED = new Chalk({ level: 1 });

/** A `write` that keeps what it is given, for asserting on. */
export function createBuffer(): { write(text: string): void; text(): string } {
  const chunks: string[] = [];
  return {
    write: (text) => chunks.push(text),
    text: () => chunks.join(''),
  };
}

export const DIRECTION_PROBLEM: Problem = {
  path: 'direction',
  expected: 'inbound or outbound',
  found: '"incoming"',
};

export const DIALST_PROBLEM: Problem = {
  path: 'call_flow[0].dialst',
  expected: 'a string',
  found: 'nothing (missing)',
};

export function valid(
  file: string,
  line: number,
  overrides: Partial<RecordVerdict> = {},
): RecordVerdict {
  return {
    location: { file, line },
    outcome: 'valid',
    kind: 'call_log',
    matchesNoKind: false,
    problems: [],
    isCapture: false,
    ...overrides,
  };
}

export function invalid(
  file: string,
  line: number,
  problems: Problem[],
  overrides: Partial<RecordVerdict> = {},
): RecordVerdict {
  return {
    ...valid(file, line),
    outcome: 'invalid',
    problems,
    ...overrides,
  };
}

export function skipped(
  file: string,
  line: number,
  note: string,
): RecordVerdict {
  return {
    location: { file, line },
    outcome: 'skipped',
    matchesNoKind: false,
    problems: [],
    note,
    isCapture: true,
  };
}

export function summaryOf(
  overrides: Partial<VerifySummary> = {},
): VerifySummary {
  return {
    files: 1,
    uncheckedFiles: 0,
    records: 0,
    valid: 0,
    invalid: 0,
    skipped: 0,
    byKind: {
      call_log: { valid: 0, invalid: 0 },
      lead_created: { valid: 0, invalid: 0 },
      tag_update: { valid: 0, invalid: 0 },
      lead_push: { valid: 0, invalid: 0 },
      none: { valid: 0, invalid: 0 },
    },
    exitCode: EXIT_CODES.ok,
    ...overrides,
  };
}

/**
 * A run over four inputs with one of everything: valid and invalid records
 * in NDJSON, a capture record skipped, array elements that match no kind
 * or are no object, an unreadable file, and standard input.
 */
export const MIXED_RUN: RecordVerdict[] = [
  valid('events.ndjson', 1),
  invalid('events.ndjson', 2, [DIRECTION_PROBLEM, DIALST_PROBLEM], {
    isCapture: true,
  }),
  skipped('events.ndjson', 3, 'no body captured (answered 401)'),
  invalid(
    'batch.json',
    14,
    [{ path: 'phone_number', expected: 'E.164 phone number', found: '"98"' }],
    {
      location: { file: 'batch.json', line: 14, index: 3 },
      kind: 'lead_push',
      matchesNoKind: true,
    },
  ),
  invalid(
    'batch.json',
    20,
    [{ path: '', expected: 'a JSON object', found: 'an array' }],
    { location: { file: 'batch.json', line: 20, index: 4 }, kind: undefined },
  ),
  valid('batch.json', 25, {
    location: { file: 'batch.json', line: 25, index: 5 },
    kind: 'lead_push',
  }),
  invalid(
    '-',
    2,
    [
      {
        path: 'user_number',
        expected: 'E.164 phone number',
        found: 'nothing (missing)',
      },
    ],
    {
      kind: 'lead_created',
    },
  ),
];

export const MIXED_SUMMARY = summaryOf({
  files: 4,
  uncheckedFiles: 1,
  records: 7,
  valid: 2,
  invalid: 4,
  skipped: 1,
  byKind: {
    call_log: { valid: 1, invalid: 1 },
    lead_created: { valid: 0, invalid: 1 },
    tag_update: { valid: 0, invalid: 0 },
    lead_push: { valid: 1, invalid: 0 },
    // Records that match no kind count here, not under the nearest kind.
    none: { valid: 0, invalid: 2 },
  },
  exitCode: EXIT_CODES.usage,
});

/** Feeds the mixed run, with `missing.json` failing before standard input. */
export function playMixedRun(reporter: Reporter): void {
  for (const verdict of MIXED_RUN.slice(0, 6)) reporter.record(verdict);
  reporter.fileFailed('missing.json', 'no such file (ENOENT)');
  for (const verdict of MIXED_RUN.slice(6)) reporter.record(verdict);
  reporter.finish(MIXED_SUMMARY);
}

/** Every kind clean: `valid` records of call logs spread over `files`. */
export function allValidSummary(validCount: number, files: number) {
  return summaryOf({
    files,
    records: validCount,
    valid: validCount,
    byKind: {
      ...summaryOf().byKind,
      call_log: { valid: validCount, invalid: 0 },
    },
  });
}
