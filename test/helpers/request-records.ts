import { classifyEvent } from '../../src/receiver/classify-event.js';
import type { RequestRecord } from '../../src/receiver/request-record.js';

/** An event answered 200, as the receiver hands it on, received at 05:00:01. */
export function acceptedRecord(parsed: Record<string, unknown>): RequestRecord {
  return {
    receivedAt: '2026-03-15T05:00:01.000Z',
    remoteAddress: '127.0.0.1',
    method: 'POST',
    path: '/',
    headers: {},
    status: 200,
    body: Buffer.from(JSON.stringify(parsed)),
    parsed,
    event: classifyEvent(parsed),
  };
}
