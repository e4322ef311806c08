import { describe, expect, test } from 'vitest';

import { toCaptureEntry } from '../../../src/commands/replay/capture-entry.js';
import { AstradialError, EXIT_CODES } from '../../../src/errors.js';
import type { RawRecord } from '../../../src/verify/raw-record.js';
import { sha256 } from '../../helpers/listen-fixture.js';
import { captureLine, refusedLine, SAMPLES } from './capture-lines.js';

const location = { file: 'capture.ndjson', line: 7 };

function recordOf(line: string, changes: Record<string, unknown> = {}) {
  const value = { ...(JSON.parse(line) as object), ...changes };
  return { type: 'value', location, value } as const satisfies RawRecord;
}

function expectNotACapture(record: RawRecord): void {
  let error: unknown;
  try {
    toCaptureEntry(record, false);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(AstradialError);
  expect((error as AstradialError).code).toBe('replay.notACapture');
  expect((error as AstradialError).exitCode).toBe(EXIT_CODES.usage);
  expect((error as AstradialError).message).toMatch(
    /^Line 7 of capture\.ndjson is not a line of a listen capture, so nothing was sent\..*astradial trigger/,
  );
}

describe('toCaptureEntry', () => {
  test('an event listen answered 200 gives its bytes, time and Content-Type exactly', () => {
    const body = Buffer.from('\uFEFF{ "call_id" : "c-1" }\r\n');
    const receivedAt = new Date('2026-03-07T05:00:00.123Z');
    const line = captureLine({
      body,
      receivedAt,
      contentType: 'application/json;charset=UTF-8',
    });

    const entry = toCaptureEntry(recordOf(line), false);

    expect(entry).toEqual({
      type: 'event',
      line: 7,
      receivedAt: '2026-03-07T05:00:00.123Z',
      receivedAtMs: receivedAt.getTime(),
      status: 200,
      contentType: 'application/json;charset=UTF-8',
      body,
      isJson: true,
      value: { call_id: 'c-1' },
    });
  });

  test('a request listen refused is not replayed, with or without its body', () => {
    const withBody = captureLine({
      body: '{"call_id": ',
      status: 400,
      reason: 'the body is not JSON',
    });

    expect(toCaptureEntry(recordOf(refusedLine(401, 'wrong')), false)).toEqual({
      type: 'refused',
      line: 7,
      status: 401,
    });
    expect(toCaptureEntry(recordOf(withBody), false)).toEqual({
      type: 'refused',
      line: 7,
      status: 400,
    });
  });

  test('with refused requests included, a 400 whose body was kept is an event, even one that is not JSON; a 401 still is not', () => {
    const notJson = Buffer.from('{"call_id": ');
    const line = captureLine({
      body: notJson,
      status: 400,
      reason: 'not JSON',
    });

    const entry = toCaptureEntry(recordOf(line), true);

    expect(entry).toMatchObject({
      type: 'event',
      status: 400,
      body: notJson,
      isJson: false,
    });
    expect(toCaptureEntry(recordOf(refusedLine(401, 'wrong')), true)).toEqual({
      type: 'refused',
      line: 7,
      status: 401,
    });
  });

  test.each([
    [
      'a body changed after capture',
      { bodyBase64: Buffer.from('{"call_id":"c-9"}').toString('base64') },
      /its body does not match the SHA-256 listen stored with it, and its body is not as long/,
    ],
    [
      'a hash changed after capture',
      { bodySha256: sha256('something else') },
      /^its body does not match the SHA-256 listen stored with it: the line was changed after listen wrote it$/,
    ],
    [
      'a length changed after capture',
      { bodyBytes: 3 },
      /^its body is not as long as the bodyBytes listen stored with it:/,
    ],
    [
      'a 200 with its body removed',
      { bodyBase64: undefined },
      /^it has no body, though listen keeps the body of every request it answers 200/,
    ],
    [
      'a body that is not text',
      { bodyBase64: 42 },
      /bodyBase64 is not base64 text/,
    ],
    ['headers replaced by null', { headers: null }, /no Content-Type header/],
    [
      'a Content-Type removed',
      { headers: { host: 'x' } },
      /no Content-Type header/,
    ],
    [
      'a time that is not one',
      { receivedAt: 'yesterday' },
      /receivedAt, "yesterday", is not a time/,
    ],
  ])('%s is tampered, with the reason', (_case, changes, reason) => {
    const line = captureLine({ body: SAMPLES.callLog('c-1') });

    const entry = toCaptureEntry(recordOf(line, changes), false);

    expect(entry).toEqual({
      type: 'tampered',
      line: 7,
      reason: expect.stringMatching(reason),
    });
  });

  test('a JSON value that is not a capture line refuses the file', () => {
    expectNotACapture({
      type: 'value',
      location,
      value: SAMPLES.callLog('c-1'),
    });
    expectNotACapture({ type: 'value', location, value: [1, 2] });
  });

  test('a line that is not JSON refuses the file, unless it starts as a capture line does', () => {
    const cut = captureLine({ body: SAMPLES.callLog('c-1') }).slice(0, 80);

    expectNotACapture({
      type: 'notJson',
      location,
      message: 'Unexpected token',
      excerpt: 'call_id,duration',
    });
    expect(
      toCaptureEntry(
        {
          type: 'notJson',
          location,
          message: 'Unterminated string',
          excerpt: cut,
        },
        false,
      ),
    ).toEqual({
      type: 'unreadable',
      line: 7,
      reason: expect.stringMatching(
        /^it is not whole JSON \(Unterminated string\); listen writes a line before it answers/,
      ),
    });
    expect(
      toCaptureEntry({ type: 'cutShort', location, excerpt: cut }, false),
    ).toMatchObject({
      type: 'unreadable',
      reason: expect.stringContaining('cut short at the end of the file'),
    });
  });
});
