import type { ChalkInstance } from 'chalk';

import type { RequestRecord } from '../receiver/request-record.js';
import type { ForwardOutcome } from './forward-outcome.js';

/**
 * The tail's line for a forward, printed when it ends: the event's time,
 * kind and id (the line may come after later events), then the app's
 * status, the latency and the start of its answer, or why it was not
 * forwarded. An event not forwarded at all is red and in capitals: it
 * must not go unnoticed.
 */
export function formatForwardLine(
  record: RequestRecord,
  forward: ForwardOutcome,
  colors: ChalkInstance,
): string {
  const time = record.receivedAt.slice(11, 19);
  const event = `${(record.event?.kind ?? '').padEnd(12)} ${identify(record)}`;
  switch (forward.outcome) {
    case 'ok':
    case 'appError': {
      const paint = forward.outcome === 'ok' ? colors.green : colors.red;
      return `${time} -> ${paint(String(forward.status))} ${event}  ${forward.latencyMs} ms  ${forward.bodyStart}`;
    }
    case 'failed':
      return `${time} -> ${colors.red('---')} ${event}  ${colors.red(`forward failed after ${forward.latencyMs} ms: ${forward.reason}`)}`;
    case 'overQueueBound':
    case 'notForwarded':
      return `${time} -> ${colors.red('---')} ${event}  ${colors.red.bold(`NOT FORWARDED: ${forward.reason}`)}`;
  }
}

/** What tells this event from others of its kind: its call id, or a lead's number. */
function identify(record: RequestRecord): string {
  const fields = (record.parsed ?? {}) as Record<string, unknown>;
  const id = fields.call_id ?? fields.phone_number ?? '';
  return typeof id === 'string' ? id : JSON.stringify(id);
}
