import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  expectNoSecret,
  postAll,
  postEvent,
  SECRET,
  sha256,
  useListenFixture,
  type Listener,
} from '../helpers/listen-fixture.js';
import {
  closedPort,
  headerValues,
  useAppServer,
} from '../helpers/app-server.js';

const startListen = useListenFixture();

/** listen forwarding to `target`, its tail and summary as JSON on stdout. */
function startForwarding(target: string, args: string[] = []) {
  return startListen(['--json', '--forward-to', target, ...args]);
}
const startAppServer = useAppServer();

type TailLine = Record<string, unknown> & {
  forward?: Record<string, unknown>;
};

async function stopAndRead(listener: Listener) {
  const result = await listener.stop();
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TailLine);
  expectNoSecret(
    await readFile(listener.capturePath, 'utf8'),
    result.stdout,
    result.stderr,
  );
  return {
    result,
    events: lines.filter((line) => line.type === 'event'),
    summary: lines.at(-1)!,
    records: await listener.readCapture(),
  };
}

async function waitForStderr(listener: Listener, text: string) {
  while (!listener.stderrSoFar().includes(text)) await sleep(20);
}

const callLog = (callId: string) =>
  JSON.stringify({ ...CALL_LOG, call_id: callId });

describe('listen --forward-to', () => {
  test('the app gets each event byte for byte with its headers and the secret unchanged; the tail shows its status, latency and answer, the secret masked', async () => {
    const app = await startAppServer({ answer: `{"seen":"${SECRET}"}` });
    const listener = await startForwarding(`${app.url}/hooks`);
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(callLog('c-bom')),
    ]);

    const answer = await postEvent(listener.url, withBom, {
      'content-type': 'application/json; charset=utf-8',
      'X-Trace-Id': 't-42',
      'User-Agent': 'AstraDial-Webhooks/1.0',
    });
    await app.waitForRequests(1);
    const { events, summary, records } = await stopAndRead(listener);

    expect(answer.status).toBe(200);
    const [received] = app.requests;
    expect(received!.path).toBe('/hooks');
    expect(sha256(received!.body)).toBe(sha256(withBom));
    expect(headerValues(received!, 'X-Webhook-Secret')).toEqual([SECRET]);
    expect(headerValues(received!, 'X-Trace-Id')).toEqual(['t-42']);
    expect(headerValues(received!, 'User-Agent')).toEqual([
      'AstraDial-Webhooks/1.0',
    ]);
    expect(headerValues(received!, 'Content-Type')).toEqual([
      'application/json; charset=utf-8',
    ]);
    expect(headerValues(received!, 'Host')).toEqual([`127.0.0.1:${app.port}`]);
    expect(events).toHaveLength(1);
    expect(events[0]!.forward).toEqual({
      outcome: 'ok',
      status: 200,
      latencyMs: expect.any(Number),
      bodyStart: '{"seen":"********"}',
    });
    expect(summary.forwarded).toEqual({
      ok: 1,
      appError: 0,
      failed: 0,
      overQueueBound: 0,
      notForwarded: 0,
    });
    expectCapturedOnce(records, [withBom]);
  });

  test('an app error status is shown and counted; the sender still got 200', async () => {
    const app = await startAppServer({
      status: 500,
      answer: 'Internal Server Error',
    });
    const listener = await startForwarding(app.url);

    const answer = await postEvent(listener.url, CALL_LOG);
    const { events, summary } = await stopAndRead(listener);

    expect(answer.status).toBe(200);
    expect(events[0]!.forward).toMatchObject({
      outcome: 'appError',
      status: 500,
      bodyStart: 'Internal Server Error',
    });
    expect(summary.forwarded).toMatchObject({ ok: 0, appError: 1 });
    expect(summary.exitCode).toBe(0);
  });

  test('an app slower than --forward-timeout is reported as timed out, and the sender had its 200 before the app answered', async () => {
    const app = await startAppServer({ isHeld: true });
    const listener = await startForwarding(app.url, [
      '--forward-timeout',
      '300ms',
    ]);
    const order: string[] = [];

    const answer = await postEvent(listener.url, CALL_LOG);
    order.push(`sender got ${answer.status}`);
    await app.waitForRequests(1);
    const { events, summary, result } = await stopAndRead(listener);
    app.release();
    order.push('app answered');

    expect(order).toEqual(['sender got 200', 'app answered']);
    expect(events[0]!.forward).toMatchObject({
      outcome: 'failed',
      reason: 'no complete answer within 300 ms (--forward-timeout)',
    });
    expect(summary.forwarded).toMatchObject({ ok: 0, failed: 1 });
    expect(result.exitCode).toBe(0);
  });

  test('an app that is down is reported as refused, and the sender still gets 200', async () => {
    const port = await closedPort();
    const listener = await startForwarding(`http://127.0.0.1:${port}/`);

    const answer = await postEvent(listener.url, CALL_LOG);
    const { events, summary, records } = await stopAndRead(listener);

    expect(answer.status).toBe(200);
    expect(events[0]!.forward).toMatchObject({
      outcome: 'failed',
      reason: `connection refused: is the app running on 127.0.0.1:${port}?`,
    });
    expect(summary.forwarded).toMatchObject({ failed: 1 });
    expectCapturedOnce(records, [JSON.stringify(CALL_LOG)]);
  });

  test('the app gets the events in the order listen accepted them, one at a time', async () => {
    const app = await startAppServer();
    const listener = await startForwarding(app.url, ['--rate-limit', '0']);
    const bodies = Array.from({ length: 40 }, (_, index) =>
      callLog(`c-order-${index}`),
    );

    const answers = await postAll(listener.url, bodies);
    await app.waitForRequests(bodies.length);
    const { records, summary } = await stopAndRead(listener);

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(app.requests.map((request) => sha256(request.body))).toEqual(
      records.map((record) => record.bodySha256),
    );
    expect(summary.forwarded).toMatchObject({ ok: 40 });
  });

  test('past --forward-queue waiting events, the newest are loudly not forwarded and counted; the others arrive', async () => {
    const app = await startAppServer({ isHeld: true });
    const listener = await startForwarding(app.url, ['--forward-queue', '2']);
    const bodies = ['q-0', 'q-1', 'q-2', 'q-3', 'q-4'].map(callLog);

    await postEvent(listener.url, bodies[0]);
    await app.waitForRequests(1);
    for (const body of bodies.slice(1)) await postEvent(listener.url, body);
    app.release();
    await app.waitForRequests(3);
    const { events, summary, result, records } = await stopAndRead(listener);

    expect(app.requests.map((request) => request.body.toString())).toEqual(
      bodies.slice(0, 3),
    );
    const skipped = events.filter(
      (line) => line.forward?.outcome === 'overQueueBound',
    );
    expect(
      skipped.map((line) => (line.event as { call_id: string }).call_id),
    ).toEqual(['q-3', 'q-4']);
    expect(skipped[0]!.forward!.reason).toMatch(
      /forward queue is full \(2 events/,
    );
    expect(summary.forwarded).toMatchObject({ ok: 3, overQueueBound: 2 });
    expect(result.stderr).toMatch(
      /2 events were answered and captured but not forwarded to the app \(2 over the --forward-queue bound/,
    );
    expectCapturedOnce(records, bodies);
  });

  test('on SIGTERM the queued forwards are finished before the summary', async () => {
    const app = await startAppServer({ isHeld: true });
    const listener = await startListen(['--forward-to', app.url]);
    const bodies = ['s-0', 's-1', 's-2'].map(callLog);

    for (const body of bodies) await postEvent(listener.url, body);
    await app.waitForRequests(1);
    listener.child.kill('SIGTERM');
    await waitForStderr(listener, 'Forwarding the 3 events not yet forwarded');
    app.release();
    const result = await listener.result;

    expect(result.exitCode).toBe(0);
    expect(app.requests.map((request) => request.body.toString())).toEqual(
      bodies,
    );
    expect(result.stderr).toMatch(
      /Forwarded: 3 ok, .* 0 not forwarded at shutdown\./,
    );
  });

  test('a second SIGTERM abandons the queued forwards, and the summary counts them as not forwarded', async () => {
    const app = await startAppServer({ isHeld: true });
    const listener = await startForwarding(app.url);

    for (const id of ['a-0', 'a-1', 'a-2'])
      await postEvent(listener.url, callLog(id));
    await app.waitForRequests(1);
    listener.child.kill('SIGTERM');
    await waitForStderr(listener, 'Press Ctrl-C again to abandon them');
    const { result, events, summary } = await stopAndRead(listener);

    expect(result.exitCode).toBe(0);
    expect(app.requests).toHaveLength(1);
    expect(events.map((line) => line.forward?.outcome)).toEqual([
      'notForwarded',
      'notForwarded',
      'notForwarded',
    ]);
    expect(summary.forwarded).toMatchObject({ ok: 0, notForwarded: 3 });
    expect(result.stderr).toMatch(
      /3 events were answered and captured but not forwarded to the app/,
    );
  });
});
