import type { ChalkInstance } from 'chalk';

import type { ForwardOutcome } from '../forward/forward-outcome.js';
import { escapeControls } from '../text/escape-controls.js';
import {
  parsedBodyJson,
  withJsonField,
  type RequestRecord,
} from './request-record.js';

type Fields = Record<string, unknown>;

/** The colour of each kind in the human tail. */
const KIND_COLORS: Record<string, keyof ChalkInstance> = {
  call_log: 'cyan',
  lead_created: 'green',
  tag_update: 'magenta',
  lead_push: 'blue',
  unknown: 'yellow',
};

/**
 * One line a person reads: time, status, kind, and the fields that tell
 * events apart. `verbose` adds the headers (credentials masked) and the
 * whole body on the lines after. Control characters from the request are
 * escaped, so a payload cannot redraw the terminal or forge a tail line.
 */
export function formatTailLine(
  record: RequestRecord,
  colors: ChalkInstance,
  isVerbose: boolean,
): string {
  const time = record.receivedAt.slice(11, 19);
  const kind = record.event?.kind ?? 'rejected';
  const paint = colors[KIND_COLORS[kind] ?? 'red'] as ChalkInstance;
  const details = record.event
    ? describeEvent(kind, record.parsed as Fields)
    : `${record.reason} (from ${record.remoteAddress})`;
  const validity = describeValidity(record, colors);
  const line = `${time} ${record.status} ${paint(kind.padEnd(12))} ${escapeControls(details)}${validity}`;
  if (!isVerbose) return line;
  return [line, ...describeRequest(record).map(escapeControls)].join('\n');
}

/**
 * One JSON object per request, for `--json` and non-TTY stdout: the event
 * parsed, with its kind and validity; the raw body and its hash are in the
 * capture. `verbose` adds the headers (credentials masked); `forward`, what
 * became of the event's forward to the app (--forward-to).
 */
export function formatTailJson(
  record: RequestRecord,
  isVerbose: boolean,
  forward?: ForwardOutcome,
): string {
  const line = JSON.stringify({
    type: record.status === 200 ? 'event' : 'rejected',
    receivedAt: record.receivedAt,
    status: record.status,
    reason: record.reason,
    kind: record.event?.kind,
    valid: record.event?.isValid,
    problems: record.event?.problems,
    remoteAddress: record.remoteAddress,
    method: record.method,
    path: record.path,
    headers: isVerbose ? record.headers : undefined,
    forward,
  });
  return withJsonField(line, 'event', parsedBodyJson(record));
}

function describeEvent(kind: string, event: Fields): string {
  switch (kind) {
    case 'call_log':
      return join([
        event.call_id,
        event.direction,
        route(event.caller_id_number, event.call_to_number),
        typeof event.duration === 'number' ? `${event.duration}s` : undefined,
        event.bot_type,
      ]);
    case 'lead_created':
      return join([
        event.call_id,
        event.direction,
        event.user_number,
        event.source === undefined ? undefined : `source ${text(event.source)}`,
      ]);
    case 'tag_update':
      return join([
        event.call_id,
        Array.isArray(event.tag) ? `tags ${event.tag.join(', ')}` : undefined,
      ]);
    case 'lead_push':
      return join([event.customer_name, event.phone_number, event.event_date]);
    default:
      return `fields ${Object.keys(event ?? {}).join(', ')}`;
  }
}

function describeValidity(record: RequestRecord, colors: ChalkInstance) {
  const event = record.event;
  if (!event || event.isValid) return '';
  return colors.red(` invalid: ${escapeControls(event.problems.join('; '))}`);
}

function describeRequest(record: RequestRecord): string[] {
  const headers = Object.entries(record.headers).map(
    ([name, value]) => `  ${name}: ${String(value)}`,
  );
  const body = record.body ? [`  ${record.body.toString('utf8')}`] : [];
  return [`  ${record.method} ${record.path}`, ...headers, ...body];
}

function route(from: unknown, to: unknown): string | undefined {
  if (from === undefined && to === undefined) return undefined;
  return `${text(from ?? '?')} -> ${text(to ?? '?')}`;
}

function join(parts: unknown[]): string {
  return parts
    .filter((part) => part !== undefined && part !== null && part !== '')
    .map(text)
    .join('  ');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
