import { describe, expect, test } from 'vitest';

import { EXIT_CODES } from '../../../src/errors.js';
import {
  escapeData,
  escapeProperty,
  GithubReporter,
} from '../../../src/verify/reporters/github-reporter.js';
import {
  allValidSummary,
  createBuffer,
  DIRECTION_PROBLEM,
  invalid,
  playMixedRun,
  skipped,
  summaryOf,
  valid,
} from './reporter-fixture.js';

describe('GithubReporter', () => {
  test('a mixed run gives one annotation per problem, a warning per skipped record, and a notice', () => {
    const buffer = createBuffer();

    playMixedRun(new GithubReporter(buffer.write));

    expect(buffer.text()).toMatchInlineSnapshot(`
      "::error file=events.ndjson,line=2,title=call log%3A direction::expected inbound or outbound, found "incoming"
      ::error file=events.ndjson,line=2,title=call log%3A call_flow[0].dialst::expected a string, found nothing (missing)
      ::warning file=events.ndjson,line=3::no body captured (answered 401)
      ::error file=batch.json,line=14,title=[3] matches no kind (nearest%3A lead push)%3A phone_number::expected E.164 phone number, found "98"
      ::error file=batch.json,line=20,title=[4] not an event%3A (record)::expected a JSON object, found an array
      ::error file=missing.json::no such file (ENOENT)
      ::error title=lead created%3A user_number::<stdin>:2: expected E.164 phone number, found nothing (missing)
      ::notice title=astradial verify::4 of 7 records invalid in 4 files, 1 skipped; 1 file not checked (call log: 1 valid, 1 invalid; lead created: 0 valid, 1 invalid; lead push: 1 valid, 0 invalid; no kind: 2 invalid; skipped: 1 record; not checked: 1 file)
      astradial verify: 4 of 7 records invalid in 4 files, 1 skipped; 1 file not checked
      "
    `);
  });

  test('valid records give no command', () => {
    const buffer = createBuffer();
    const reporter = new GithubReporter(buffer.write);

    for (let line = 1; line <= 1000; line += 1) {
      reporter.record(valid('events.ndjson', line));
    }

    expect(buffer.text()).toBe('');
  });

  test('file names and titles have , : % escaped as properties, messages as data, and line breaks shown as text', () => {
    const buffer = createBuffer();
    const reporter = new GithubReporter(buffer.write);

    reporter.record(
      invalid('a,b:c%d&e<f>.json', 7, [
        {
          path: 'tag[0]',
          expected: '50% "off",\r\nsaid: yes',
          found: 'nothing',
        },
      ]),
    );
    reporter.record(skipped('x:y,z.ndjson', 3, 'no body\ncaptured: 100%'));
    reporter.fileFailed('gone,1.json', 'no such file: a,b');

    expect(buffer.text().split('\n')).toEqual([
      '::error file=a%2Cb%3Ac%25d&e<f>.json,line=7,title=call log%3A tag[0]::expected 50%25 "off",\\u000d\\u000asaid: yes, found nothing',
      '::warning file=x%3Ay%2Cz.ndjson,line=3::no body\\u000acaptured: 100%25',
      '::error file=gone%2C1.json::no such file: a,b',
      '',
    ]);
  });

  test('on standard input the place goes into the message and no file or line is given', () => {
    const buffer = createBuffer();
    const reporter = new GithubReporter(buffer.write);

    reporter.record(
      invalid('-', 9, [DIRECTION_PROBLEM], {
        location: { file: '-', line: 9, index: 2 },
      }),
    );
    reporter.record(skipped('-', 10, 'no body captured'));
    reporter.fileFailed('-', 'standard input closed early');

    expect(buffer.text()).toMatchInlineSnapshot(`
      "::error title=call log%3A direction::<stdin>:9 [2]: expected inbound or outbound, found "incoming"
      ::warning::<stdin>:10: no body captured
      ::error::<stdin>: standard input closed early
      "
    `);
    expect(buffer.text()).not.toContain('file=');
    expect(buffer.text()).not.toContain('line=');
  });

  test('an invalid record with no problem given still gets an annotation', () => {
    const buffer = createBuffer();

    new GithubReporter(buffer.write).record(
      invalid('a.ndjson', 4, [], { kind: 'tag_update' }),
    );

    expect(buffer.text()).toBe(
      '::error file=a.ndjson,line=4,title=tag update::breaks the contract (no details given)\n',
    );
  });

  test.each([
    [
      allValidSummary(1, 1),
      '::notice title=astradial verify::1 record valid in 1 file (call log: 1 valid, 0 invalid)\nastradial verify: 1 record valid in 1 file\n',
    ],
    [
      summaryOf({ files: 2, exitCode: EXIT_CODES.usage }),
      '::notice title=astradial verify::No records in 2 files\nastradial verify: No records in 2 files\n',
    ],
  ])('the notice and the plain line carry the counts (%#)', (summary, text) => {
    const buffer = createBuffer();

    new GithubReporter(buffer.write).finish(summary);

    expect(buffer.text()).toBe(text);
  });

  test('escaping follows @actions/core (percent first, : , only in properties); control characters are shown, not obeyed', () => {
    expect(escapeData('100%:,')).toBe('100%25:,');
    expect(escapeProperty('100%:,')).toBe('100%25%3A%2C');
    expect(escapeProperty('%3A')).toBe('%253A');
    expect(escapeData('a\r\nb\u001b[31mc\u202ed')).toBe(
      'a\\u000d\\u000ab\\u001b[31mc\\u202ed',
    );
  });
});
