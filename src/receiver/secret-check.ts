import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

import { isSecretMatch } from '../webhook/request-checks.js';
import { MASK, type SecretMask } from './secret-mask.js';

export { MASK } from './secret-mask.js';

/** The header the contract names for the secret. */
export const SECRET_HEADER = 'x-webhook-secret';

/**
 * Header names that look like they carry a credential: a sender that put
 * the secret in one of these (X-Webhook-Token, Authorization, X-Api-Key…)
 * has the right idea and the wrong name. Their values are masked wherever
 * headers are shown or captured, as the secret may be in any of them.
 */
const CREDENTIAL_HEADER = /secret|token|auth|api[-_]?key|signature|password/i;

/** What checkSecret and maskHeaders need to know of the secret. */
export interface SecretRules {
  secretDigest: Buffer;
  secretMask: SecretMask;
}

export type SecretVerdict =
  { isValid: true } | { isValid: false; reason: string };

/**
 * Checks X-Webhook-Secret in constant time. A failure says which mistake it
 * is (missing, wrong header name, secret sent in the URL, sent twice, wrong
 * value) and never quotes a value, received or expected.
 */
export function checkSecret(
  request: Pick<IncomingMessage, 'headers' | 'rawHeaders' | 'url'>,
  rules: SecretRules,
): SecretVerdict {
  const { headers } = request;
  const value = headers[SECRET_HEADER];
  const copies = countSecretHeaders(request.rawHeaders);
  if (copies > 1) {
    // node:http joins the copies with ", ", which no secret matches.
    return {
      isValid: false,
      reason: `X-Webhook-Secret sent ${copies} times; send it once`,
    };
  }
  if (typeof value === 'string') {
    return isSecretMatch(value, rules.secretDigest)
      ? { isValid: true }
      : { isValid: false, reason: describeWrongValue(value) };
  }
  const holder = Object.keys(headers).find((name) =>
    holdsSecret(headers[name], rules),
  );
  const place = holder ? undefined : findSecretInUrl(request.url, rules);
  if (place) {
    return {
      isValid: false,
      reason: `wrong place: found the secret in the URL's ${place}, which servers and proxies log; send it in the X-Webhook-Secret header`,
    };
  }
  const lookalike =
    holder ?? Object.keys(headers).find((name) => CREDENTIAL_HEADER.test(name));
  if (lookalike) {
    return {
      isValid: false,
      reason: `wrong header name: found ${rules.secretMask.hide(lookalike)} but no X-Webhook-Secret; send the secret in X-Webhook-Secret`,
    };
  }
  return { isValid: false, reason: 'missing X-Webhook-Secret header' };
}

/** rawHeaders alternates names and values. */
function countSecretHeaders(rawHeaders: string[]): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.toLowerCase() === SECRET_HEADER) count += 1;
  }
  return count;
}

function describeWrongValue(value: string): string {
  return value === ''
    ? 'wrong value: X-Webhook-Secret is empty'
    : 'wrong value in X-Webhook-Secret';
}

function findSecretInUrl(
  url: string | undefined,
  rules: SecretRules,
): 'query string' | 'path' | undefined {
  const [path = '', ...query] = (url ?? '').split('?');
  if (rules.secretMask.isFoundIn(query.join('?'))) return 'query string';
  return rules.secretMask.isFoundIn(path) ? 'path' : undefined;
}

/**
 * A copy of the headers fit to show or store: the values of credential-like
 * headers are masked whole, and every occurrence of the secret in any other
 * name or value (a cookie, a note) is replaced by the mask.
 */
export function maskHeaders(
  headers: IncomingHttpHeaders,
  mask: SecretMask,
): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const shownName = mask.hide(name);
    const isHidden = name === SECRET_HEADER || CREDENTIAL_HEADER.test(name);
    if (isHidden) masked[shownName] = MASK;
    else if (typeof value === 'string') masked[shownName] = mask.hide(value);
    else masked[shownName] = value.map(mask.hide);
  }
  return masked;
}

/** The value holds the secret: alone, after `Bearer`, in `session=…`. */
function holdsSecret(
  value: string | string[] | undefined,
  rules: SecretRules,
): boolean {
  return typeof value === 'string' && rules.secretMask.isFoundIn(value);
}
