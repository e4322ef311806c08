import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  expectNoSecret,
  SECRET,
  sendRaw,
  statusOf,
  useListenFixture,
  type Listener,
} from '../helpers/listen-fixture.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';

/**
 * The listen cases of shared/cases: real users' situations, each with its
 * right behaviour (shared/cases/README.md). Each starts listen with the
 * secret Tst-Secret-8f3b2c on port 0 with capture on, and writes the
 * stored raw request to the socket byte for byte.
 */
const CASES = path.join(PROJECT_ROOT, '..', 'shared', 'cases', 'inputs');

const startListen = useListenFixture();

function readCase(name: string): Promise<Buffer> {
  return readFile(path.join(CASES, name));
}

/** Splits a raw request at the blank line, to swap a header line. */
function replaceHeader(raw: Buffer, from: string, to: string): Buffer {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1').replace(from, to);
  return Buffer.concat([Buffer.from(head, 'latin1'), raw.subarray(split)]);
}

function bodyOf(answer: string): string {
  return answer.slice(answer.indexOf('\r\n\r\n') + 4);
}

async function stopAndRead(listener: Listener) {
  const result = await listener.stop();
  const records = await listener.readCapture();
  const tail = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expectNoSecret(
    await readFile(listener.capturePath, 'utf8'),
    result.stdout,
    result.stderr,
  );
  return { result, records, tail };
}

describe('shared/cases: listen', () => {
  test('C13: a secret file ending in CRLF is read without its line end', async () => {
    const listener = await startListen(
      ['--secret-file', path.join(CASES, 'C13-secret-file-crlf.txt')],
      { env: { ASTRADIAL_WEBHOOK_SECRET: '' } },
    );

    const answer = await sendRaw(
      listener.port,
      await readCase('C14-content-type-charset.http'),
    );

    expect(statusOf(answer)).toBe(200);
    await stopAndRead(listener);
  });

  test('C14: application/json with a charset, in any case, is JSON; text/plain and form types get 415', async () => {
    const listener = await startListen();
    const raw = await readCase('C14-content-type-charset.http');
    const stated = 'Content-Type: application/json; charset=utf-8';
    const accepted = [
      raw,
      replaceHeader(
        raw,
        stated,
        'Content-Type: application/json;charset=UTF-8',
      ),
      replaceHeader(raw, stated, 'Content-Type: Application/JSON'),
    ];
    const refused = [
      replaceHeader(raw, stated, 'Content-Type: text/plain'),
      replaceHeader(
        raw,
        stated,
        'Content-Type: application/x-www-form-urlencoded',
      ),
    ];

    const first = await sendRaw(listener.port, accepted[0]!);
    const variants = [
      await sendRaw(listener.port, accepted[1]!),
      await sendRaw(listener.port, accepted[2]!),
    ];
    const contrasts = await Promise.all(
      refused.map((request) => sendRaw(listener.port, request)),
    );

    expect(statusOf(first)).toBe(200);
    expect(bodyOf(first)).toBe('{"status":"success"}');
    expect(variants.map(statusOf)).toEqual([200, 200]);
    expect(contrasts.map(statusOf)).toEqual([415, 415]);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({
      type: 'event',
      kind: 'lead_created',
      valid: true,
    });
    // Each of the three accepted requests is one capture record answered 200;
    // the first of them is the case's own request.
    expect(records.filter((record) => record.status === 200)).toHaveLength(3);
    expect(records[0]).toMatchObject({ status: 200, kind: 'lead_created' });
    expect(records.filter((record) => record.status === 415)).toHaveLength(2);
  });

  test('C15: a body starting with a UTF-8 BOM is accepted, parsed without it and captured with it', async () => {
    const listener = await startListen();

    const answer = await sendRaw(
      listener.port,
      await readCase('C15-body-with-utf8-bom.http'),
    );

    expect(statusOf(answer)).toBe(200);
    expect(bodyOf(answer)).toBe('{"status":"success"}');
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({
      kind: 'tag_update',
      valid: true,
      event: {
        customer_id: 'acme_test',
        call_id: 'c-2026-0002',
        tag: ['interested', 'follow-up'],
      },
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 200,
      bodyBytes: 87,
      bodySha256:
        'ea750405f98e2fa50573d15782d8432efb2e9385b805a017b2f9571d6e71d2a6',
    });
    const raw = Buffer.from(records[0]!.bodyBase64!, 'base64');
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(JSON.stringify(records[0]!.parsedBody)).not.toContain('\uFEFF');
  });

  test('C16: a secret one character short gets 401 saying the value is wrong, and the listener keeps serving', async () => {
    const listener = await startListen();
    const raw = await readCase('C16-secret-wrong-length.http');
    const sent = 'X-Webhook-Secret: Tst-Secret-8f3b2';
    const variants = [
      replaceHeader(raw, sent, 'X-Webhook-Secret: '),
      replaceHeader(raw, sent, `X-Webhook-Secret: ${'s'.repeat(4096)}`),
      Buffer.concat([
        replaceHeader(
          raw,
          sent,
          'X-Webhook-Secret: Tst-Secret-8f3b2\u00c3\u00a9',
        ),
      ]),
    ];

    const wrong = await sendRaw(listener.port, raw);
    const others = [];
    for (const variant of variants) {
      others.push(await sendRaw(listener.port, variant));
    }
    const right = await sendRaw(
      listener.port,
      replaceHeader(raw, sent, `X-Webhook-Secret: ${SECRET}`),
    );

    expect(statusOf(wrong)).toBe(401);
    expect(bodyOf(wrong)).not.toContain('Tst-Secret-8f3b2');
    expect(others.map(statusOf)).toEqual([401, 401, 401]);
    expect(statusOf(right)).toBe(200);
    const { records, tail, result } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({ status: 401 });
    expect(tail[0]!.reason).toMatch(/^wrong value/);
    expect(tail[0]!.reason).not.toMatch(/missing|header name/);
    expect(result.stdout).not.toContain('Tst-Secret-8f3b2');
    expect(records.slice(0, 4).map((record) => record.status)).toEqual([
      401, 401, 401, 401,
    ]);
    expect(records.filter((record) => record.status === 200)).toHaveLength(1);
  });

  test('C18: a 136 KB lead push is accepted under the default --max-body and captured byte-exact', async () => {
    const listener = await startListen();

    const answer = await sendRaw(
      listener.port,
      await readCase('C18-136kb-lead-push.http'),
    );

    expect(statusOf(answer)).toBe(200);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({ kind: 'lead_push', valid: true });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 200,
      bodyBytes: 136_164,
      bodySha256:
        '9c2b5e721ade8622758c7387abcb253b42ff7347a19034a46dcb32d121ff1c3b',
    });
  });

  test('C18 control: under a smaller --max-body the same request gets 413 and nothing is captured as accepted', async () => {
    const listener = await startListen(['--max-body', '100kb']);

    const answer = await sendRaw(
      listener.port,
      await readCase('C18-136kb-lead-push.http'),
    );

    expect(statusOf(answer)).toBe(413);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({ status: 413 });
    expect(tail[0]!.reason).toMatch(/over --max-body \(102400 bytes\)/);
    expect(records.filter((record) => record.status === 200)).toHaveLength(0);
  });
});
