import { describe, expect, test } from 'vitest';

import { EXIT_CODES } from '../../../src/errors.js';
import { TextReporter } from '../../../src/verify/reporters/text-reporter.js';
import {
  allValidSummary,
  COLOURED,
  createBuffer,
  DIRECTION_PROBLEM,
  invalid,
  PLAIN,
  playMixedRun,
  summaryOf,
  valid,
} from './reporter-fixture.js';

function plainReporter() {
  const buffer = createBuffer();
  return {
    buffer,
    reporter: new TextReporter({ write: buffer.write, colors: PLAIN }),
  };
}

describe('TextReporter', () => {
  test('a mixed run lists invalid and skipped records, the unreadable file, then the counts', () => {
    const { buffer, reporter } = plainReporter();

    playMixedRun(reporter);

    expect(buffer.text()).toMatchInlineSnapshot(`
      "events.ndjson:2 call log (capture)
        direction: expected inbound or outbound, found "incoming"
        call_flow[0].dialst: expected a string, found nothing (missing)
      events.ndjson:3 skipped: no body captured (answered 401)
      batch.json:14 [3] matches no kind (nearest: lead push)
        phone_number: expected E.164 phone number, found "98"
      batch.json:20 [4] not an event
        (record): expected a JSON object, found an array
      missing.json: no such file (ENOENT)
      <stdin>:2 lead created
        user_number: expected E.164 phone number, found nothing (missing)

      call log      1 valid, 1 invalid
      lead created  0 valid, 1 invalid
      lead push     1 valid, 0 invalid
      no kind       2 invalid
      skipped       1 record
      not checked   1 file
      4 of 7 records invalid in 4 files, 1 skipped; 1 file not checked
      "
    `);
  });

  test('a valid record prints nothing', () => {
    const { buffer, reporter } = plainReporter();

    for (let line = 1; line <= 1000; line += 1) {
      reporter.record(valid('events.ndjson', line));
    }

    expect(buffer.text()).toBe('');
  });

  test('when every record is valid then only the counts and the verdict print, with no blank line first', () => {
    const { buffer, reporter } = plainReporter();

    reporter.record(valid('a.ndjson', 1));
    reporter.finish(allValidSummary(40, 3));

    expect(buffer.text()).toMatchInlineSnapshot(`
      "call log  40 valid, 0 invalid
      All 40 records valid in 3 files
      "
    `);
  });

  test.each([
    [allValidSummary(1, 1), '1 record valid in 1 file'],
    [allValidSummary(2, 1), 'All 2 records valid in 1 file'],
    [
      summaryOf({
        records: 1,
        invalid: 1,
        exitCode: EXIT_CODES.recordsInvalid,
      }),
      '1 of 1 record invalid in 1 file',
    ],
    [
      summaryOf({
        files: 2,
        records: 12,
        valid: 11,
        invalid: 1,
        exitCode: EXIT_CODES.recordsInvalid,
      }),
      '1 of 12 records invalid in 2 files',
    ],
    [summaryOf({ exitCode: EXIT_CODES.usage }), 'No records in 1 file'],
    [
      summaryOf({ records: 1, skipped: 1 }),
      'No records checked in 1 file, 1 skipped',
    ],
    [
      {
        ...allValidSummary(3, 2),
        uncheckedFiles: 1,
        exitCode: EXIT_CODES.usage,
      },
      'All 3 records valid in 2 files; 1 file not checked',
    ],
    [
      {
        ...allValidSummary(3, 3),
        uncheckedFiles: 2,
        exitCode: EXIT_CODES.usage,
      },
      'All 3 records valid in 3 files; 2 files not checked',
    ],
  ])('the verdict line words the counts right (%#)', (summary, verdict) => {
    const { buffer, reporter } = plainReporter();

    reporter.finish(summary);

    expect(buffer.text().trimEnd().split('\n').at(-1)).toBe(verdict);
  });

  test('a skipped count and a count of files not checked get rows of their own, singular for one', () => {
    const { buffer, reporter } = plainReporter();

    reporter.finish({
      ...summaryOf({ records: 1, skipped: 1 }),
      uncheckedFiles: 1,
    });

    expect(buffer.text()).toContain('skipped      1 record\n');
    expect(buffer.text()).toContain('not checked  1 file\n');
  });

  test('records of no kind get a row that gives the valid count only when there is one', () => {
    const { buffer, reporter } = plainReporter();
    const byKind = summaryOf().byKind;

    reporter.finish(
      summaryOf({ byKind: { ...byKind, none: { valid: 0, invalid: 3 } } }),
    );
    reporter.finish(
      summaryOf({ byKind: { ...byKind, none: { valid: 2, invalid: 1 } } }),
    );

    expect(buffer.text()).toContain('no kind  3 invalid\n');
    expect(buffer.text()).toContain('no kind  2 valid, 1 invalid\n');
  });

  test('an invalid record with no problem given still says it breaks the contract', () => {
    const { buffer, reporter } = plainReporter();

    reporter.record(invalid('a.ndjson', 4, [], { kind: 'tag_update' }));

    expect(buffer.text()).toBe(
      'a.ndjson:4 tag update\n  breaks the contract (no details given)\n',
    );
  });

  test('line breaks and escape sequences from the input are escaped, so they cannot forge report lines', () => {
    const { buffer, reporter } = plainReporter();

    reporter.record(
      invalid('evil\n.ndjson', 1, [
        {
          path: 'call_id',
          expected: 'a "string"',
          found: 'text with\na line break and \u001b[31mred',
        },
      ]),
    );
    reporter.fileFailed('bad\rname.json', 'cannot read\nit');

    expect(buffer.text()).toMatchInlineSnapshot(`
      "evil\\u000a.ndjson:1 call log
        call_id: expected a "string", found text with\\u000aa line break and \\u001b[31mred
      bad\\u000dname.json: cannot read\\u000ait
      "
    `);
    expect(buffer.text().split('\n')).toHaveLength(4);
  });

  test('with colour level 0 there are no colour codes', () => {
    const { buffer, reporter } = plainReporter();

    playMixedRun(reporter);

    expect(buffer.text()).not.toContain('\u001b[');
  });

  test('with colour on the kind and the failing verdict are red, and a passing verdict green', () => {
    const buffer = createBuffer();
    const reporter = new TextReporter({
      write: buffer.write,
      colors: COLOURED,
    });

    reporter.record(invalid('a.ndjson', 2, [DIRECTION_PROBLEM]));
    reporter.finish(
      summaryOf({
        records: 1,
        invalid: 1,
        exitCode: EXIT_CODES.recordsInvalid,
      }),
    );
    const passing = createBuffer();
    new TextReporter({ write: passing.write, colors: COLOURED }).finish(
      allValidSummary(2, 1),
    );

    expect(buffer.text()).toContain(COLOURED.red('call log'));
    expect(buffer.text()).toContain(
      COLOURED.red('1 of 1 record invalid in 1 file'),
    );
    expect(passing.text()).toContain(
      COLOURED.green('All 2 records valid in 1 file'),
    );
    expect(buffer.text()).toContain('\u001b[31m');
  });
});
