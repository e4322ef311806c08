import { createHash } from 'node:crypto';

import { afterEach, describe, expect, test } from 'vitest';

import { ForwardSender } from '../../src/forward/forward-sender.js';
import {
  closedPort,
  headerValues,
  useAppServer,
} from '../helpers/app-server.js';

const startAppServer = useAppServer();
const senders: ForwardSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
});

function createSender(url: string, timeoutMs = 5_000): ForwardSender {
  const sender = new ForwardSender({
    url: new URL(url),
    timeoutMs,
    redact: (text) => text.replaceAll('Tst-Secret-8f3b2c', '********'),

    timeoutFlag: '--forward-timeout',
    abortedReason: 'abandoned in flight when listen was stopped',
  });
  senders.push(sender);
  return sender;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('ForwardSender', () => {
  test('the app gets the body byte for byte, BOM kept, and the headers as given', async () => {
    const app = await startAppServer();
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"call_id":"c-1","note":"caf\u00e9"}'),
    ]);

    const forward = await createSender(`${app.url}/hooks?team=1`).send(body, [
      'Content-Type',
      'application/json; charset=utf-8',
      'X-Webhook-Secret',
      'Tst-Secret-8f3b2c',
    ]);

    expect(forward).toMatchObject({
      outcome: 'ok',
      status: 200,
      bodyStart: '{"received":true}',
    });
    const [received] = app.requests;
    expect(received).toMatchObject({ method: 'POST', path: '/hooks?team=1' });
    expect(sha256(received!.body)).toBe(sha256(body));
    expect(headerValues(received!, 'X-Webhook-Secret')).toEqual([
      'Tst-Secret-8f3b2c',
    ]);
    expect(headerValues(received!, 'content-length')).toEqual([
      String(body.length),
    ]);
    expect(headerValues(received!, 'host')).toEqual([`127.0.0.1:${app.port}`]);
  });

  test('an answer of 400 or more is an app error, with the start of its body on one line, the secret masked', async () => {
    const answer = `{"error":"bad\\nthing",\n"echo":"Tst-Secret-8f3b2c","pad":"${'x'.repeat(300)}"}`;
    const app = await startAppServer({ status: 503, answer });

    const forward = await createSender(app.url).send(Buffer.from('{}'), []);

    expect(forward.outcome).toBe('appError');
    if (forward.outcome !== 'appError') return;
    expect(forward.status).toBe(503);
    expect(forward.latencyMs).toBeGreaterThanOrEqual(0);
    expect(forward.bodyStart).toMatch(
      /^\{"error":"bad\\nthing", "echo":"\*{8}","pad":"x+…$/,
    );
    expect(forward.bodyStart).toHaveLength(201);
  });

  test.each([5, 17, 4_000])(
    'a secret echoed across the point where the kept answer is cut (%i characters in) shows no part of it',
    async (charactersBefore) => {
      const secret = 'Tst-Secret-8f3b2c';
      const spaces = ' '.repeat(64 * 1024 - charactersBefore);
      const answer = `${spaces}got ${secret} ok${' '.repeat(5_000)}`;
      const app = await startAppServer({ status: 200, answer });

      const forward = await createSender(app.url).send(Buffer.from('{}'), []);

      expect(forward.outcome).toBe('ok');
      if (forward.outcome !== 'ok') return;
      expect(forward.bodyStart).not.toContain('Tst');
      expect(forward.bodyStart).not.toContain('8f3b');
    },
  );

  test('an app that does not answer within the timeout is a failure naming --forward-timeout', async () => {
    const app = await startAppServer({ isHeld: true });

    const forward = await createSender(app.url, 200).send(
      Buffer.from('{}'),
      [],
    );

    expect(forward).toMatchObject({
      outcome: 'failed',
      reason: 'no complete answer within 200 ms (--forward-timeout)',
    });
    expect(app.requests).toHaveLength(1);
  });

  test('a refused connection is a failure that asks whether the app runs', async () => {
    const port = await closedPort();

    const forward = await createSender(`http://127.0.0.1:${port}/`).send(
      Buffer.from('{}'),
      [],
    );

    expect(forward).toMatchObject({
      outcome: 'failed',
      reason: `connection refused: is the app running on 127.0.0.1:${port}?`,
    });
  });

  test('abort ends the forward in flight as not forwarded', async () => {
    const app = await startAppServer({ isHeld: true });
    const sender = createSender(app.url);

    const sending = sender.send(Buffer.from('{}'), []);
    await app.waitForRequests(1);
    sender.abort();

    expect(await sending).toMatchObject({ outcome: 'notForwarded' });
  });
});
