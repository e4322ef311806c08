import { z } from 'zod';

/**
 * AstraDial's webhook contract (shared/spec/astradial-webhooks.txt) as zod
 * schemas. push checks each lead against LEAD_PUSH before sending it; listen
 * and verify check incoming events against the same definitions.
 */

/** A phone number with country code: "+" then up to 15 digits. */
export const E164_PHONE = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'E.164 phone number ("+" and country code)');

/** ISO 8601 date and time with an offset or Z, e.g. 2026-03-15T10:30:00+05:30. */
export const ISO_DATE_TIME = z.iso.datetime({ offset: true });

/** A lead sent to https://events.astradial.com/<company_code>. */
export const LEAD_PUSH = z
  .object({
    customer_name: z.string().min(1).describe('Full name of the customer'),
    phone_number: E164_PHONE.describe('Phone number with country code'),
    event_date: ISO_DATE_TIME.optional().describe('Event date'),
    register_date: ISO_DATE_TIME.optional().describe('Registration date'),
  })
  // The contract passes custom parameters through as-is.
  .catchall(z.unknown());

/** Sent by AstraDial when a call is completed. */
export const CALL_LOG = z.object({
  call_id: z.string().min(1),
  duration: z.number().int().nonnegative(),
  recording_url: z.url().optional(),
  direction: z.enum(['inbound', 'outbound']),
  caller_id_number: E164_PHONE.optional(),
  call_to_number: E164_PHONE.optional(),
  bot_type: z.string().optional(),
  answered_agent: z.object({ number: E164_PHONE }).optional(),
  call_flow: z
    .array(z.object({ type: z.string(), dialst: z.string() }))
    .optional(),
});

/** Sent by AstraDial when a new lead is created. */
export const LEAD_CREATED = z.object({
  customer_id: z.string().min(1),
  user_number: E164_PHONE,
  call_id: z.string().min(1),
  direction: z.enum(['inbound', 'outbound']),
  source: z.string(),
});

/** Sent by AstraDial when tags are updated on a lead. */
export const TAG_UPDATE = z.object({
  customer_id: z.string().min(1),
  call_id: z.string().min(1),
  tag: z.array(z.string()),
});

export const EVENT_SCHEMAS = {
  call_log: CALL_LOG,
  lead_created: LEAD_CREATED,
  tag_update: TAG_UPDATE,
  lead_push: LEAD_PUSH,
} as const;

export type EventKind = keyof typeof EVENT_SCHEMAS;
