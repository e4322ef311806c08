import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  expectNoSecret,
  postEvent,
  sha256,
  tailOf,
  useListenFixture,
} from '../helpers/listen-fixture.js';

const startListen = useListenFixture();

const DEEP_BODY = `${'['.repeat(6000)}${']'.repeat(6000)}`;

describe('listen: deeply nested JSON', () => {
  test('6,000 levels get 400 saying how deep JSON may nest, are captured with that status, and listen keeps serving', async () => {
    const listener = await startListen();

    const deep = await postEvent(listener.url, DEEP_BODY);
    const next = await postEvent(listener.url, CALL_LOG);
    const result = await listener.stop();

    const reason = 'the body holds JSON nested deeper than 512 levels';
    expect([deep.status, next.status]).toEqual([400, 200]);
    expect(JSON.parse(deep.text)).toEqual({ status: 'error', message: reason });
    expect(result.exitCode).toBe(0);
    const records = await listener.readCapture();
    expect(records[0]).toMatchObject({
      status: 400,
      reason,
      bodySha256: sha256(DEEP_BODY),
      bodyBytes: 12_000,
    });
    expectCapturedOnce(records, [JSON.stringify(CALL_LOG)]);
    expect(tailOf(result.stdout)[0]).toMatchObject({ status: 400, reason });
  });

  test('without --capture, 6,000 levels get 400 in the tail and the run ends normally', async () => {
    const listener = await startListen([], { capture: false });

    const deep = await postEvent(listener.url, DEEP_BODY);
    const result = await listener.stop();

    expect(deep.status).toBe(400);
    expect(result.exitCode).toBe(0);
    expect(tailOf(result.stdout)[0]).toMatchObject({
      status: 400,
      reason: 'the body holds JSON nested deeper than 512 levels',
    });
    expect(result.stderr).toMatch(/Rejected: 1 x 400\./);
  });
});

describe('listen: bodies that are not UTF-8', () => {
  test.each([
    ['FF FE C3 inside a string', [0xff, 0xfe, 0xc3]],
    ['an overlong C0 AF', [0xc0, 0xaf]],
  ])(
    '%s gets 400 naming the offset, captured byte-exact with that status',
    async (_, bytes) => {
      const listener = await startListen();
      const body = Buffer.concat([
        Buffer.from('{"call_id":"'),
        Buffer.from(bytes),
        Buffer.from('","duration":5}'),
      ]);

      const answer = await postEvent(listener.url, body);
      const result = await listener.stop();

      const reason =
        'the body is not valid UTF-8 (first bad byte at offset 12)';
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({
        status: 'error',
        message: reason,
      });
      const [record] = await listener.readCapture();
      expect(record).toMatchObject({
        status: 400,
        reason,
        bodySha256: sha256(body),
      });
      expect(Buffer.from(record!.bodyBase64!, 'base64')).toEqual(body);
      expect(record!.parsedBody).toBeUndefined();
      expect(tailOf(result.stdout)[0]).toMatchObject({ status: 400, reason });
      expectNoSecret(
        await readFile(listener.capturePath, 'utf8'),
        result.stdout,
        result.stderr,
      );
    },
  );
});
