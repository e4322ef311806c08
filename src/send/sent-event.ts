import type { ChalkInstance } from 'chalk';

import type { ForwardOutcome } from '../forward/forward-outcome.js';

/** One event trigger or replay sent, and what the receiver made of it. */
export type SentEvent = {
  /** The event's kind, or `unknown` for a body of no kind. */
  kind: string;
  /** What tells it from others: its call_id, customer_id or phone number. */
  id: string;
  outcome: ForwardOutcome;
};

/**
 * Accepted means answered 2xx, as AstraDial's own contract expects of a
 * receiver; a redirect is not an acceptance, since webhooks do not follow
 * one.
 */
export function isAccepted(outcome: ForwardOutcome): boolean {
  return (
    (outcome.outcome === 'ok' || outcome.outcome === 'appError') &&
    outcome.status >= 200 &&
    outcome.status < 300
  );
}

/** `200 call_log c-2026-0431  12 ms  {"status":"success"}`, for stderr or stdout. */
export function formatSentLine(sent: SentEvent, colors: ChalkInstance): string {
  const event = `${sent.kind.padEnd(12)} ${sent.id}`;
  const { outcome } = sent;
  switch (outcome.outcome) {
    case 'ok':
    case 'appError': {
      const paint = isAccepted(outcome) ? colors.green : colors.red;
      return `${paint(String(outcome.status))} ${event}  ${outcome.latencyMs} ms  ${outcome.bodyStart}`;
    }
    case 'failed':
      return `${colors.red('---')} ${event}  ${colors.red(`no answer after ${outcome.latencyMs} ms: ${outcome.reason}`)}`;
    case 'overQueueBound':
    case 'notForwarded':
      return `${colors.red('---')} ${event}  ${colors.red(`not sent: ${outcome.reason}`)}`;
  }
}

/** The line `--json` prints for a sent event. */
export function toSentJson(sent: SentEvent): Record<string, unknown> {
  return {
    type: 'sent',
    kind: sent.kind,
    id: sent.id,
    accepted: isAccepted(sent.outcome),
    ...sent.outcome,
  };
}

/** What tells an event from others of its kind, from its parsed body. */
export function identifyEvent(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const fields = body as Record<string, unknown>;
  const id = fields.call_id ?? fields.customer_id ?? fields.phone_number ?? '';
  return typeof id === 'string' ? id : JSON.stringify(id);
}
