import { afterEach, describe, expect, test } from 'vitest';

import type { ForwardOutcome } from '../../src/forward/forward-outcome.js';
import { ForwardSender } from '../../src/forward/forward-sender.js';
import { Forwarder } from '../../src/forward/forwarder.js';
import { useAppServer, type AppServer } from '../helpers/app-server.js';
import { acceptedRecord } from '../helpers/request-records.js';

const startAppServer = useAppServer();
const senders: ForwardSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((sender) => sender.close()));
});

function startForwarder(app: AppServer, maxQueued: number) {
  const sender = new ForwardSender({
    url: new URL(app.url),
    timeoutMs: 5_000,
    redact: (text) => text,

    timeoutFlag: '--forward-timeout',
    abortedReason: 'abandoned in flight when listen was stopped',
  });
  senders.push(sender);
  const outcomes: Array<[string, ForwardOutcome['outcome']]> = [];
  const forwarder = new Forwarder({
    sender,
    maxQueued,
    onOutcome: (record, forward) =>
      outcomes.push([
        (record.parsed as { call_id: string }).call_id,
        forward.outcome,
      ]),
  });
  const forward = (callId: string) =>
    forwarder.forward(acceptedRecord({ call_id: callId, duration: 5 }), [
      'Content-Type',
      'application/json',
    ]);
  return { forwarder, forward, outcomes };
}

const callIds = (count: number) =>
  Array.from({ length: count }, (_, index) => `c-${index}`);

function bodiesAt(app: AppServer): string[] {
  return app.requests.map(
    (request) =>
      (JSON.parse(request.body.toString()) as { call_id: string }).call_id,
  );
}

describe('Forwarder', () => {
  test('forwards one at a time, in the order events were handed over', async () => {
    const app = await startAppServer();
    const { forwarder, forward, outcomes } = startForwarder(app, 100);

    for (const id of callIds(30)) forward(id);
    await forwarder.drain();

    expect(bodiesAt(app)).toEqual(callIds(30));
    expect(outcomes).toEqual(callIds(30).map((id) => [id, 'ok']));
  });

  test('past the queue bound the newest events are reported at once and not sent; the rest go in order', async () => {
    const app = await startAppServer({ isHeld: true });
    const { forwarder, forward, outcomes } = startForwarder(app, 2);

    for (const id of callIds(5)) forward(id);

    expect(outcomes).toEqual([
      ['c-3', 'overQueueBound'],
      ['c-4', 'overQueueBound'],
    ]);
    expect(forwarder.pending).toBe(3);
    await app.waitForRequests(1);
    app.release();
    await forwarder.drain();
    expect(bodiesAt(app)).toEqual(['c-0', 'c-1', 'c-2']);
    expect(outcomes.slice(2)).toEqual([
      ['c-0', 'ok'],
      ['c-1', 'ok'],
      ['c-2', 'ok'],
    ]);
  });

  test('abandon aborts the forward in flight and reports the queued ones as not forwarded', async () => {
    const app = await startAppServer({ isHeld: true });
    const { forwarder, forward, outcomes } = startForwarder(app, 10);

    for (const id of callIds(3)) forward(id);
    await app.waitForRequests(1);
    forwarder.abandon();
    await forwarder.drain();

    expect(outcomes).toEqual(callIds(3).map((id) => [id, 'notForwarded']));
    expect(app.requests).toHaveLength(1);
  });
});
