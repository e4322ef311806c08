/**
 * The kinds of payload in AstraDial's contract, without the schemas, so
 * that the command line can name them without loading zod.
 */
export const EVENT_KINDS = [
  'call_log',
  'lead_created',
  'tag_update',
  'lead_push',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** How people call each kind. */
export const KIND_NAMES: Record<EventKind, string> = {
  call_log: 'call log',
  lead_created: 'lead created',
  tag_update: 'tag update',
  lead_push: 'lead push',
};
