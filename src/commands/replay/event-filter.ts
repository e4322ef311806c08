import { parseKindList } from '../../contract/parse-kind-list.js';
import { UsageError } from '../../errors.js';
import type { CapturedEvent } from './capture-entry.js';
import { eventCallId, eventKind } from './event-fields.js';
import { parseTimeBound } from './parse-time-bound.js';

/** Kinds --type may name: the contract's, and `unknown` as listen has it. */

/** Which captured events to replay; an absent field lets every event in. */
export type EventFilter = {
  kinds?: ReadonlySet<string>;
  callIds?: ReadonlySet<string>;
  /** Received at or after this, in ms since the epoch. */
  sinceMs?: number;
  /** Received before this, in ms since the epoch. */
  untilMs?: number;
};

export interface EventFilterFlags {
  type?: string;
  callId: string[];
  since?: string;
  until?: string;
}

/**
 * The filter the flags ask for. `now` anchors durations ago (`--since 2h`),
 * taken once so that both passes over the capture pick the same events.
 */
export function parseEventFilter(
  flags: EventFilterFlags,
  now: number,
): EventFilter {
  const filter: EventFilter = {};
  if (flags.type !== undefined)
    filter.kinds = parseKindList(flags.type, '--type', 'replay.invalidType');
  if (flags.callId.length > 0) filter.callIds = parseCallIds(flags.callId);
  if (flags.since !== undefined) {
    filter.sinceMs = parseTimeBound(flags.since, '--since', now);
  }
  if (flags.until !== undefined) {
    filter.untilMs = parseTimeBound(flags.until, '--until', now);
  }
  verifyWindowIsOpen(filter, flags);
  return filter;
}

/**
 * True when the event passes every filter given. The cheap checks come
 * first: telling an event's kind runs its schema.
 */
export function matchesFilter(
  event: CapturedEvent,
  filter: EventFilter,
): boolean {
  if (filter.sinceMs !== undefined && event.receivedAtMs < filter.sinceMs) {
    return false;
  }
  if (filter.untilMs !== undefined && event.receivedAtMs >= filter.untilMs) {
    return false;
  }
  if (filter.callIds) {
    const callId = eventCallId(event);
    if (callId === undefined || !filter.callIds.has(callId)) return false;
  }
  return !filter.kinds || filter.kinds.has(eventKind(event));
}

/** The filter in words, for "no event matched" and the start line. */
export function describeFilter(filter: EventFilter): string {
  const parts: string[] = [];
  if (filter.kinds) parts.push(`of kind ${[...filter.kinds].join(', ')}`);
  if (filter.callIds) {
    parts.push(`with call_id ${[...filter.callIds].join(', ')}`);
  }
  if (filter.sinceMs !== undefined) {
    parts.push(
      `received at or after ${new Date(filter.sinceMs).toISOString()}`,
    );
  }
  if (filter.untilMs !== undefined) {
    parts.push(`received before ${new Date(filter.untilMs).toISOString()}`);
  }
  return parts.join(', ');
}

function parseCallIds(callIds: string[]): ReadonlySet<string> {
  if (callIds.some((callId) => callId === '')) {
    throw new UsageError(
      'replay.emptyCallId',
      '--call-id was given an empty value (an unset shell variable?). Give the call_id of the events to replay.',
    );
  }
  return new Set(callIds);
}

function verifyWindowIsOpen(
  filter: EventFilter,
  flags: EventFilterFlags,
): void {
  const { sinceMs, untilMs } = filter;
  if (sinceMs === undefined || untilMs === undefined || sinceMs < untilMs) {
    return;
  }
  throw new UsageError(
    'replay.emptyTimeWindow',
    `--since ${flags.since} (${new Date(sinceMs).toISOString()}) is not before --until ${flags.until} (${new Date(untilMs).toISOString()}), so no event could match. Swap them, or widen the window.`,
  );
}
