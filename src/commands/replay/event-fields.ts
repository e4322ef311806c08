import { classifyEvent } from '../../receiver/classify-event.js';
import { identifyEvent } from '../../send/sent-event.js';
import { escapeControls } from '../../text/escape-controls.js';
import type { CapturedEvent } from './capture-entry.js';

/**
 * The kind of a captured event, told from its body the way listen told it
 * (a body that is not JSON, or matches no kind, is `unknown`). The `kind`
 * listen wrote beside the body is not used: unlike the body, nothing
 * guards it against an edit.
 */
export function eventKind(event: CapturedEvent): string {
  return event.isJson ? classifyEvent(event.value).kind : 'unknown';
}

/** The event's `call_id` as text, or undefined when it has none. */
export function eventCallId(event: CapturedEvent): string | undefined {
  if (typeof event.value !== 'object' || event.value === null) return undefined;
  const callId = (event.value as Record<string, unknown>).call_id;
  if (typeof callId === 'string') return callId;
  return typeof callId === 'number' ? String(callId) : undefined;
}

/**
 * The kind and id a report shows for an event. The id comes from the
 * body, which anyone could have sent to listen: control characters are
 * written as escapes so it cannot redraw a terminal, and the secret, were
 * it in there, is masked.
 */
export function describeEvent(
  event: CapturedEvent,
  hideSecret: (text: string) => string,
): { kind: string; id: string } {
  const id = event.isJson ? identifyEvent(event.value) : '';
  return { kind: eventKind(event), id: escapeControls(hideSecret(id)) };
}
