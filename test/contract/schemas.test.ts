import { describe, expect, test } from 'vitest';

import { EVENT_SCHEMAS, type EventKind } from '../../src/contract/schemas.js';

/** The examples of shared/spec/astradial-webhooks.txt, one per kind. */
const EXAMPLES: Record<EventKind, Record<string, unknown>> = {
  call_log: {
    call_id: 'unique_call_identifier',
    duration: 120,
    recording_url: 'https://recordings.example.com/abc.mp3',
    direction: 'inbound',
    caller_id_number: '+919876543210',
    call_to_number: '+911234567890',
    bot_type: 'voice_streaming',
    answered_agent: { number: '+919876543210' },
    call_flow: [{ type: 'voice-streaming', dialst: 'Answered' }],
  },
  lead_created: {
    customer_id: 'your_company_code',
    user_number: '+919876543210',
    call_id: 'unique_call_identifier',
    direction: 'inbound',
    source: 'agent_number_or_source',
  },
  tag_update: {
    customer_id: 'your_company_code',
    call_id: 'unique_call_identifier',
    tag: ['interested', 'follow-up'],
  },
  lead_push: {
    customer_name: 'John Doe',
    phone_number: '+919876543210',
    event_date: '2026-03-15T10:30:00+05:30',
    register_date: '2026-03-10T09:00:00+05:30',
    custom_field_1: 'value',
  },
};

describe('the contract schemas', () => {
  test.each(Object.keys(EXAMPLES) as EventKind[])(
    'the documented %s example is valid',
    (kind) => {
      expect(
        EVENT_SCHEMAS[kind].safeParse(EXAMPLES[kind]).error,
      ).toBeUndefined();
    },
  );

  test.each([
    ['call_log', 'direction', 'incoming'],
    ['call_log', 'duration', '95'],
    ['call_log', 'duration', -1],
    ['call_log', 'caller_id_number', '09000012601'],
    ['lead_created', 'user_number', '9876543210'],
    ['tag_update', 'tag', 'interested'],
    ['lead_push', 'event_date', '2026-03-15 10:30:00'],
    ['lead_push', 'phone_number', '98765 43210'],
    ['lead_push', 'customer_name', ''],
  ] as const)('%s with %s = %j is invalid', (kind, field, value) => {
    const record = { ...EXAMPLES[kind], [field]: value };

    const result = EVENT_SCHEMAS[kind].safeParse(record);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});
