import { describe, expect, test } from 'vitest';

import {
  toCaptureLine,
  withJsonField,
  type RequestRecord,
} from '../../src/receiver/request-record.js';
import { acceptedRecord } from '../helpers/request-records.js';

/** An accepted record whose body is exactly `body`. */
function recordOf(body: Buffer): RequestRecord {
  const parsed = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  return { ...acceptedRecord(parsed as Record<string, unknown>), body };
}

describe('toCaptureLine', () => {
  test('holds every field the README lists, in its order, with the body hashed', () => {
    const body = Buffer.from('{"call_id":"c-1","duration":5}');
    const record: RequestRecord = {
      ...recordOf(body),
      headers: { 'content-type': 'application/json' },
      isMatching: true,
    };

    const line = JSON.parse(toCaptureLine(record));

    expect(Object.keys(line)).toEqual([
      'receivedAt',
      'remoteAddress',
      'method',
      'path',
      'headers',
      'status',
      'bodyBase64',
      'bodySha256',
      'bodyBytes',
      'kind',
      'valid',
      'problems',
      'matched',
      'parsedBody',
    ]);
    expect(line).toMatchObject({
      headers: { 'content-type': 'application/json' },
      bodyBase64: body.toString('base64'),
      bodySha256:
        '0c634829d52351716279c6fa74e54f70e996643e0b2d23bfa74df6528c735a93',
      bodyBytes: 30,
      kind: 'call_log',
      matched: true,
    });
  });

  test('a request turned away before its body keeps its reason and no body fields', () => {
    const turnedAway: RequestRecord = {
      receivedAt: '2026-03-15T05:00:01.000Z',
      remoteAddress: '127.0.0.1',
      method: 'GET',
      path: '/',
      headers: {},
      status: 405,
      reason: 'method GET (only POST is accepted)',
    };

    expect(JSON.parse(toCaptureLine(turnedAway))).toEqual(turnedAway);
  });

  test('a one-line body is kept as it came where the parsed body goes', () => {
    const body = Buffer.from('{"call_id":"c-1", "tag":["a","b"]}');

    const line = toCaptureLine(recordOf(body));

    expect(line).toContain('"parsedBody":{"call_id":"c-1", "tag":["a","b"]}');
    expect(JSON.parse(line)).toMatchObject({
      parsedBody: { call_id: 'c-1', tag: ['a', 'b'] },
    });
  });

  test('a body on several lines, or after a BOM, still gives one line that parses to the body', () => {
    const pretty = Buffer.from('{\r\n  "call_id": "c-2",\n  "duration": 5\n}');
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"call_id":"c-3"}'),
    ]);

    const lines = [pretty, withBom].map((body) =>
      toCaptureLine(recordOf(body)),
    );

    expect(lines.every((line) => !/[\r\n]/.test(line))).toBe(true);
    expect(lines.map((line) => JSON.parse(line).parsedBody)).toEqual([
      { call_id: 'c-2', duration: 5 },
      { call_id: 'c-3' },
    ]);
  });
});

describe('withJsonField', () => {
  test('adds a field to an empty and to a filled object', () => {
    expect(withJsonField('{}', 'a', '1')).toBe('{"a":1}');
    expect(withJsonField('{"a":1}', 'b', '[2]')).toBe('{"a":1,"b":[2]}');
    expect(withJsonField('{"a":1}', 'b', undefined)).toBe('{"a":1}');
  });
});
