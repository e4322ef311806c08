import { describe, expect, test } from 'vitest';

import {
  createSampleEvent,
  PLACEHOLDER_CUSTOMER_ID,
  type SampleKind,
} from '../../../src/commands/trigger/sample-events.js';
import { checkEvent } from '../../../src/contract/check-event.js';

const KINDS: SampleKind[] = ['call_log', 'lead_created', 'tag_update'];
const TEST_NUMBER = /^\+91900000\d{4}$/;

describe('createSampleEvent', () => {
  test.each(KINDS)(
    'a %s sample is recognised as its kind and follows the contract, strictly too',
    (kind) => {
      const event = createSampleEvent(kind, { customerId: 'acme' });

      for (const isStrict of [false, true]) {
        const check = checkEvent(event, { isStrict });
        expect(check.kind).toBe(kind);
        expect(check.problems).toEqual([]);
      }
    },
  );

  test.each(KINDS)('each %s sample has a fresh call_id', (kind) => {
    const callIds = Array.from(
      { length: 200 },
      () => createSampleEvent(kind, { customerId: 'acme' }).call_id,
    );
    expect(new Set(callIds).size).toBe(200);
  });

  test('call ids carry the UTC date and 32 random bits', () => {
    const event = createSampleEvent('call_log', {
      customerId: 'acme',
      now: new Date('2026-03-15T23:30:00+05:30'),
    });
    expect(event.call_id).toMatch(/^c-20260315-[0-9a-f]{8}$/);
  });

  test('a call log has every field of the contract, with test numbers and an https recording', () => {
    const event = createSampleEvent('call_log', { customerId: 'acme' });

    expect(Object.keys(event)).toEqual([
      'call_id',
      'duration',
      'recording_url',
      'direction',
      'caller_id_number',
      'call_to_number',
      'bot_type',
      'answered_agent',
      'call_flow',
    ]);
    expect(event.caller_id_number).toMatch(TEST_NUMBER);
    expect(event.call_to_number).toMatch(TEST_NUMBER);
    expect((event.answered_agent as { number: string }).number).toMatch(
      TEST_NUMBER,
    );
    expect(event.recording_url).toBe(
      `https://recordings.example.com/${String(event.call_id)}.mp3`,
    );
    expect(event.call_flow).toEqual([
      { type: 'voice-streaming', dialst: 'Answered' },
    ]);
  });

  test('lead and tag events carry the customer id given, and tags as a list', () => {
    const lead = createSampleEvent('lead_created', { customerId: 'globex' });
    const tags = createSampleEvent('tag_update', {
      customerId: PLACEHOLDER_CUSTOMER_ID,
    });

    expect(lead.customer_id).toBe('globex');
    expect(lead.user_number).toMatch(TEST_NUMBER);
    expect(lead.source).toMatch(TEST_NUMBER);
    expect(tags).toEqual({
      customer_id: 'acme',
      call_id: expect.stringMatching(/^c-\d{8}-[0-9a-f]{8}$/),
      tag: ['interested', 'follow-up'],
    });
  });
});
