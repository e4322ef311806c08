import type { z } from 'zod';

import { EVENT_SCHEMAS, type EventKind } from '../contract/schemas.js';

/** What an accepted body is: one of the contract's events, or unknown. */
export type Classification = {
  kind: EventKind | 'unknown';
  isValid: boolean;
  /** `path: message`, one per schema issue; empty when valid. */
  problems: string[];
};

/**
 * The fields that tell each kind apart, checked in this order. Events share
 * `call_id`, `customer_id` and `direction`, so each kind is known by a field
 * only it carries in the contract.
 */
const KIND_MARKERS: Array<[EventKind, string[]]> = [
  ['tag_update', ['tag']],
  ['lead_created', ['user_number', 'source']],
  ['lead_push', ['customer_name', 'phone_number']],
  [
    'call_log',
    [
      'duration',
      'call_flow',
      'caller_id_number',
      'call_to_number',
      'recording_url',
    ],
  ],
];

/**
 * Tells the kind of an event by its fields, then validates it against that
 * kind's schema. A body that is not a JSON object, or carries none of the
 * marking fields, is `unknown` and not valid.
 */
export function classifyEvent(body: unknown): Classification {
  const kind = detectKind(body);
  if (kind === 'unknown') {
    return {
      kind,
      isValid: false,
      problems: [
        'matches no known event kind (call log, lead created, tag update, lead push)',
      ],
    };
  }
  const parsed = EVENT_SCHEMAS[kind].safeParse(body);
  if (parsed.success) return { kind, isValid: true, problems: [] };
  return { kind, isValid: false, problems: describeIssues(parsed.error) };
}

function detectKind(body: unknown): EventKind | 'unknown' {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'unknown';
  }
  const match = KIND_MARKERS.find(([, fields]) =>
    fields.some((field) => field in body),
  );
  return match?.[0] ?? 'unknown';
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(body)';
    return `${path}: ${issue.message}`;
  });
}
