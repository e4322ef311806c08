import { REJECT_REASON_TEXT } from '../../leads/row-to-lead.js';

/** Why a row that passed every check was still not delivered. */
const DELIVERY_REASON_TEXT: Record<string, string> = {
  server_rejected: 'refused by the server (4xx)',
  server_error: 'server error after every retry (5xx); not stored',
  connection_failed: 'could not connect after every retry; nothing sent',
  rate_limited: 'rate limited (429) too many times',
  uncertain: 'sent, without a confirmed answer: may be stored',
  duplicate: 'same phone number and event date as an earlier row',
  not_sent: 'not sent: the run stopped first',
};

/** A short label for every reason code that can reach the rejects file. */
export const REASON_TEXT: Record<string, string> = {
  ...REJECT_REASON_TEXT,
  ...DELIVERY_REASON_TEXT,
};

/**
 * Rows the server surely does not hold: with a journal, a rerun of the
 * same command sends them, so they are left to it rather than written to
 * the rejects file.
 */
export const RESUMABLE_REASONS = new Set([
  'not_sent',
  'server_error',
  'connection_failed',
  'rate_limited',
]);
