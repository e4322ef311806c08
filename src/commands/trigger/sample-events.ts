import { randomBytes, randomInt } from 'node:crypto';

import type { EventKind } from '../../contract/event-kinds.js';

/** The kinds AstraDial sends, and so the kinds trigger has samples of. */
export type SampleKind = Exclude<EventKind, 'lead_push'>;

/**
 * The company code samples carry as `customer_id` when the config names
 * none: a placeholder, as in the contract's `your_company_code`.
 */
export const PLACEHOLDER_CUSTOMER_ID = 'acme';

/**
 * Samples use the +91 900000xxxx block, like the test fixtures: numbers
 * that look real to a receiver's E.164 check but reach nobody. Customers
 * get 1000–8999, agents 9000–9899, and the AstraDial number called is
 * the block's last.
 */
const TEST_NUMBER_PREFIX = '+91900000';
const CUSTOMER_NUMBERS = { first: 1000, last: 8999 };
const AGENT_NUMBERS = { first: 9000, last: 9899 };
const ASTRADIAL_NUMBER = `${TEST_NUMBER_PREFIX}9999`;

/** The call_flow and tags of the contract's own examples. */
const CALL_FLOW = [{ type: 'voice-streaming', dialst: 'Answered' }];
const TAGS = ['interested', 'follow-up'];

export interface SampleOptions {
  /** The sample's `customer_id`: the configured company, or a placeholder. */
  customerId: string;
  /** Dates the call_id; now unless given. */
  now?: Date;
}

/**
 * A realistic event of `kind` that passes the contract's schema, with a
 * fresh call_id (`c-20260315-9f2c41d7`: the UTC date and 32 random bits)
 * and fresh test numbers on every call, so that a receiver that rejects
 * duplicates takes each one. Fields come in the contract's order.
 */
export function createSampleEvent(
  kind: SampleKind,
  options: SampleOptions,
): Record<string, unknown> {
  const callId = createCallId(options.now ?? new Date());
  switch (kind) {
    case 'call_log':
      return createCallLog(callId);
    case 'lead_created':
      return {
        customer_id: options.customerId,
        user_number: testNumber(CUSTOMER_NUMBERS),
        call_id: callId,
        direction: 'inbound',
        source: testNumber(AGENT_NUMBERS),
      };
    case 'tag_update':
      return {
        customer_id: options.customerId,
        call_id: callId,
        tag: [...TAGS],
      };
  }
}

function createCallLog(callId: string): Record<string, unknown> {
  return {
    call_id: callId,
    duration: randomInt(30, 301),
    // example.com is reserved for examples: a receiver that downloads the
    // recording gets a clean failure, never someone else's file.
    recording_url: `https://recordings.example.com/${callId}.mp3`,
    direction: 'inbound',
    caller_id_number: testNumber(CUSTOMER_NUMBERS),
    call_to_number: ASTRADIAL_NUMBER,
    bot_type: 'voice_streaming',
    answered_agent: { number: testNumber(AGENT_NUMBERS) },
    call_flow: CALL_FLOW.map((step) => ({ ...step })),
  };
}

function createCallId(now: Date): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `c-${date}-${randomBytes(4).toString('hex')}`;
}

function testNumber(range: { first: number; last: number }): string {
  const suffix = randomInt(range.first, range.last + 1);
  return `${TEST_NUMBER_PREFIX}${String(suffix).padStart(4, '0')}`;
}
