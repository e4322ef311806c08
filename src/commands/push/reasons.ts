import { REJECT_REASON_TEXT } from '../../leads/row-to-lead.js';

/** Why a row that passed every check was still not delivered. */
const DELIVERY_REASON_TEXT: Record<string, string> = {
  server_rejected: 'refused by the server (4xx)',
  server_error: 'server error after every retry (5xx)',
  connection_failed: 'could not reach the server after every retry',
  unexpected_response: 'answer other than 200 {"status":"success"}',
  rate_limited: 'rate limited (429) too many times',
  not_sent: 'not sent: the run stopped first',
};

/** A short label for every reason code that can reach the rejects file. */
export const REASON_TEXT: Record<string, string> = {
  ...REJECT_REASON_TEXT,
  ...DELIVERY_REASON_TEXT,
};

/**
 * Reasons after which the server may hold the lead even though it was not
 * confirmed: pushing such rows again can create a duplicate.
 */
export const UNCERTAIN_REASONS = new Set([
  'unexpected_response',
  'connection_failed',
  'server_error',
]);
