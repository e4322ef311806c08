import { z } from 'zod';

import type { EventKind } from './event-kinds.js';

export { EVENT_KINDS, KIND_NAMES, type EventKind } from './event-kinds.js';

/**
 * AstraDial's webhook contract (shared/spec/astradial-webhooks.txt) as zod
 * schemas. listen and verify check events against them, push's tests check
 * its bodies, and `astradial schema` prints them as JSON Schema.
 *
 * Every rule's error message is what the contract expects there, in words a
 * user can act on ("inbound or outbound"): describe-issues.ts puts it beside
 * what the record holds. Each kind comes in two variants: the contract's
 * (other fields allowed, as AstraDial passes custom parameters through) and
 * a strict one that refuses every field the contract does not name.
 */

const PHONE_WORDS =
  'E.164 phone number: "+", country code and number, e.g. +919876543210';
const DATE_WORDS =
  'ISO 8601 date and time with an offset, e.g. 2026-03-15T10:30:00+05:30';
const NON_EMPTY_TEXT = 'text that is not empty or only spaces';
const TEXT = 'text';
const DIRECTION_WORDS = 'inbound or outbound';
const HTTP_URL_WORDS = 'an http or https URL';

/** A phone number with country code: "+" then up to 15 digits. */
export const E164_PHONE = z
  .string({ error: PHONE_WORDS })
  .regex(/^\+[1-9]\d{6,14}$/, { error: PHONE_WORDS });

/** ISO 8601 date and time with an offset or Z, e.g. 2026-03-15T10:30:00+05:30. */
export const ISO_DATE_TIME = z.iso.datetime({
  offset: true,
  error: DATE_WORDS,
});

/** Text with something besides spaces: a name of " " names nobody. */
const nonEmptyText = () =>
  z.string({ error: NON_EMPTY_TEXT }).regex(/\S/, { error: NON_EMPTY_TEXT });
const text = () => z.string({ error: TEXT });
const direction = () =>
  z.enum(['inbound', 'outbound'], { error: DIRECTION_WORDS });

type Shape = Record<string, z.ZodType>;

/** An object of `shape`: open to other fields, or closed when strict. */
function record<T extends Shape>(shape: T, isStrict: boolean, words: string) {
  return isStrict
    ? z.strictObject(shape, { error: words })
    : z.object(shape, { error: words });
}

function buildSchemas(isStrict: boolean) {
  const leadPush = record(
    {
      customer_name: nonEmptyText().describe('Full name of the customer'),
      phone_number: E164_PHONE.describe('Phone number with country code'),
      event_date: ISO_DATE_TIME.optional().describe('Event date'),
      register_date: ISO_DATE_TIME.optional().describe('Registration date'),
    },
    isStrict,
    'a JSON object (one lead)',
  ).describe(
    'A lead sent to https://events.astradial.com/<company_code>. Custom parameters are passed through as-is.',
  );

  const callLog = record(
    {
      call_id: nonEmptyText().describe('Unique identifier for the call'),
      duration: z
        .number({ error: 'integer of 0 or more (seconds)' })
        .int({ error: 'integer of 0 or more (seconds)' })
        .nonnegative({ error: 'integer of 0 or more (seconds)' })
        .describe('Call duration in seconds'),
      // The pattern repeats the protocol check so that the JSON Schema of
      // `astradial schema` carries it too; `format` alone would allow ftp:.
      recording_url: z
        .url({ protocol: /^https?$/, error: HTTP_URL_WORDS, abort: true })
        .regex(/^https?:\/\//, { error: HTTP_URL_WORDS })
        .meta({ format: 'uri' })
        .optional()
        .describe('URL to the call recording (if available)'),
      direction: direction().describe('inbound or outbound'),
      caller_id_number: E164_PHONE.optional().describe(
        "Caller's phone number (for inbound calls)",
      ),
      call_to_number: E164_PHONE.optional().describe(
        'Destination number (for outbound calls)',
      ),
      bot_type: text()
        .optional()
        .describe('Type of bot handling the call (if applicable)'),
      answered_agent: record(
        { number: E164_PHONE },
        isStrict,
        'an object with the agent\'s "number"',
      )
        .optional()
        .describe('Agent info if call was handled by an agent'),
      call_flow: z
        .array(
          record(
            { type: text(), dialst: text() },
            isStrict,
            'an object with "type" and "dialst"',
          ),
          { error: 'an array of call flow steps' },
        )
        .optional()
        .describe('Sequence of call events'),
    },
    isStrict,
    'a JSON object (one call log)',
  ).describe('Sent by AstraDial when a call is completed.');

  const leadCreated = record(
    {
      customer_id: nonEmptyText().describe('Your company code'),
      user_number: E164_PHONE,
      call_id: nonEmptyText(),
      direction: direction(),
      source: text().describe('Agent number or source'),
    },
    isStrict,
    'a JSON object (one lead created event)',
  ).describe('Sent by AstraDial when a new lead is created.');

  const tagUpdate = record(
    {
      customer_id: nonEmptyText().describe('Your company code'),
      call_id: nonEmptyText(),
      tag: z.array(text(), { error: 'an array of text tags' }),
    },
    isStrict,
    'a JSON object (one tag update)',
  ).describe('Sent by AstraDial when tags are updated on a lead.');

  return {
    call_log: callLog,
    lead_created: leadCreated,
    tag_update: tagUpdate,
    lead_push: leadPush,
  } satisfies Record<EventKind, z.ZodType>;
}

/** The contract's schemas: other fields are allowed, as AstraDial allows them. */
export const EVENT_SCHEMAS = buildSchemas(false);

/** The same schemas refusing any field the contract does not name. */
export const STRICT_EVENT_SCHEMAS = buildSchemas(true);

export const LEAD_PUSH = EVENT_SCHEMAS.lead_push;

/** The top-level fields the contract names for each kind. */
export const KIND_FIELDS: Record<EventKind, ReadonlySet<string>> = {
  call_log: fieldsOf('call_log'),
  lead_created: fieldsOf('lead_created'),
  tag_update: fieldsOf('tag_update'),
  lead_push: fieldsOf('lead_push'),
};

function fieldsOf(kind: EventKind): ReadonlySet<string> {
  return new Set(Object.keys(EVENT_SCHEMAS[kind].shape));
}
