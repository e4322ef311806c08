import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { EXIT_CODES } from '../../src/errors.js';
import { PROJECT_ROOT, runCli } from '../helpers/run-cli.js';

/**
 * The verify cases of shared/cases: payload files from real users'
 * situations, each with the problems verify must report exactly
 * (shared/cases/README.md). Exit codes by name: INVALID is 1.
 */
const CASES = path.join(PROJECT_ROOT, '..', 'shared', 'cases', 'inputs');

type JsonLine = {
  type: string;
  line?: number;
  kind?: string;
  matchesNoKind?: boolean;
  problems?: Array<{ path: string; expected: string; found: string }>;
  valid?: number;
  invalid?: number;
  byKind?: Record<string, { valid: number; invalid: number }>;
};

async function verifyCase(name: string, reporter = 'json') {
  const result = await runCli({
    args: ['verify', path.join(CASES, name), '--reporter', reporter],
  });
  return result;
}

function linesOf(stdout: string): JsonLine[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JsonLine);
}

describe('verify cases from shared/cases', () => {
  test('C21: IST, fractional, Z and negative offsets pass; a SQL-style date is the one problem', async () => {
    const result = await verifyCase('C21-lead-dates-with-offsets.ndjson');
    const [record, summary, ...rest] = linesOf(result.stdout);

    expect(result.exitCode).toBe(EXIT_CODES.recordsInvalid);
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      type: 'record',
      line: 5,
      kind: 'lead_push',
      problems: [
        {
          path: 'event_date',
          expected: expect.stringContaining('ISO 8601') as unknown,
          found: '"2026-03-15 10:30:00"',
        },
      ],
    });
    expect(record!.problems![0]!.expected).toContain('offset');
    expect(summary).toMatchObject({ type: 'summary', valid: 4, invalid: 1 });
  });

  test("C22: a call log in another platform's vocabulary has exactly its two problems", async () => {
    const result = await verifyCase('C22-foreign-vocabulary-call-log.json');
    const [record, summary] = linesOf(result.stdout);

    expect(result.exitCode).toBe(EXIT_CODES.recordsInvalid);
    expect(record).toMatchObject({ line: 1, kind: 'call_log' });
    expect(record!.problems).toEqual([
      {
        path: 'direction',
        expected: 'inbound or outbound',
        found: '"incoming"',
      },
      {
        path: 'caller_id_number',
        expected: expect.stringContaining('E.164') as unknown,
        found: '"09000012601"',
      },
    ]);
    expect(summary).toMatchObject({ valid: 0, invalid: 1 });
  });

  test('C22 in the text report: file, path, expected and found, never a bare "Invalid input"', async () => {
    const result = await verifyCase(
      'C22-foreign-vocabulary-call-log.json',
      'text',
    );

    expect(result.exitCode).toBe(EXIT_CODES.recordsInvalid);
    expect(result.stdout).toContain('C22-foreign-vocabulary-call-log.json:1');
    expect(result.stdout).toContain(
      'direction: expected inbound or outbound, found "incoming"',
    );
    expect(result.stdout).toContain('caller_id_number: expected E.164');
    expect(result.stdout).not.toMatch(/invalid input/i);
  });

  test('C24: a Windows file (BOM, CRLF, final CRLF) has its one problem on line 3', async () => {
    const result = await verifyCase('C24-windows-bom-crlf.ndjson');
    const [record, summary, ...rest] = linesOf(result.stdout);

    expect(result.exitCode).toBe(EXIT_CODES.recordsInvalid);
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      line: 3,
      kind: 'call_log',
      problems: [
        {
          path: 'duration',
          expected: expect.stringContaining('integer') as unknown,
          found: 'string "95"',
        },
      ],
    });
    expect(summary).toMatchObject({
      valid: 2,
      invalid: 1,
      byKind: expect.objectContaining({
        call_log: { valid: 1, invalid: 1 },
        lead_created: { valid: 1, invalid: 0 },
      }) as unknown,
    });
  });
});
