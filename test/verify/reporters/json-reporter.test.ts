import { describe, expect, test } from 'vitest';

import { JsonReporter } from '../../../src/verify/reporters/json-reporter.js';
import {
  createBuffer,
  MIXED_SUMMARY,
  playMixedRun,
  valid,
} from './reporter-fixture.js';

function parseLines(text: string): unknown[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('JsonReporter', () => {
  test('a mixed run gives one line per invalid or skipped record and failed file, then the summary', () => {
    const buffer = createBuffer();

    playMixedRun(new JsonReporter(buffer.write));

    expect(parseLines(buffer.text())).toEqual([
      {
        type: 'record',
        file: 'events.ndjson',
        line: 2,
        outcome: 'invalid',
        kind: 'call_log',
        matchesNoKind: false,
        problems: [
          {
            path: 'direction',
            expected: 'inbound or outbound',
            found: '"incoming"',
          },
          {
            path: 'call_flow[0].dialst',
            expected: 'a string',
            found: 'nothing (missing)',
          },
        ],
        isCapture: true,
      },
      {
        type: 'record',
        file: 'events.ndjson',
        line: 3,
        outcome: 'skipped',
        matchesNoKind: false,
        problems: [],
        note: 'no body captured (answered 401)',
        isCapture: true,
      },
      {
        type: 'record',
        file: 'batch.json',
        line: 14,
        index: 3,
        outcome: 'invalid',
        kind: 'lead_push',
        matchesNoKind: true,
        problems: [
          {
            path: 'phone_number',
            expected: 'E.164 phone number',
            found: '"98"',
          },
        ],
        isCapture: false,
      },
      {
        type: 'record',
        file: 'batch.json',
        line: 20,
        index: 4,
        outcome: 'invalid',
        matchesNoKind: false,
        problems: [{ path: '', expected: 'a JSON object', found: 'an array' }],
        isCapture: false,
      },
      {
        type: 'fileFailed',
        file: 'missing.json',
        message: 'no such file (ENOENT)',
      },
      {
        type: 'record',
        file: '-',
        line: 2,
        outcome: 'invalid',
        kind: 'lead_created',
        matchesNoKind: false,
        problems: [
          {
            path: 'user_number',
            expected: 'E.164 phone number',
            found: 'nothing (missing)',
          },
        ],
        isCapture: false,
      },
      { type: 'summary', ...MIXED_SUMMARY },
    ]);
  });

  test('the keys come in a fixed order with type first', () => {
    const buffer = createBuffer();

    playMixedRun(new JsonReporter(buffer.write));

    const [first] = buffer.text().split('\n');
    expect(first).toBe(
      '{"type":"record","file":"events.ndjson","line":2,"outcome":"invalid","kind":"call_log","matchesNoKind":false,"problems":[{"path":"direction","expected":"inbound or outbound","found":"\\"incoming\\""},{"path":"call_flow[0].dialst","expected":"a string","found":"nothing (missing)"}],"isCapture":true}',
    );
    expect(buffer.text().trimEnd().split('\n').at(-1)).toMatch(
      /^\{"type":"summary","files":4,/,
    );
  });

  test('valid records are not listed', () => {
    const buffer = createBuffer();
    const reporter = new JsonReporter(buffer.write);

    for (let line = 1; line <= 1000; line += 1) {
      reporter.record(valid('events.ndjson', line));
    }

    expect(buffer.text()).toBe('');
  });

  test('line breaks, quotes and odd file names stay inside one valid JSON line', () => {
    const buffer = createBuffer();
    const reporter = new JsonReporter(buffer.write);

    reporter.fileFailed('a,b:c%d&e<f>.json', 'line one\nline "two"\u2028');

    expect(buffer.text().split('\n')).toEqual([expect.any(String), '']);
    expect(parseLines(buffer.text())).toEqual([
      {
        type: 'fileFailed',
        file: 'a,b:c%d&e<f>.json',
        message: 'line one\nline "two"\u2028',
      },
    ]);
  });
});
