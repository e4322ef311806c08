import type { IncomingHttpHeaders } from 'node:http';

import { isSecretMatch } from '../webhook/request-checks.js';

/** The header the contract names for the secret. */
export const SECRET_HEADER = 'x-webhook-secret';

/**
 * Header names that look like they carry a credential: a sender that put
 * the secret in one of these (X-Webhook-Token, Authorization, X-Api-Key…)
 * has the right idea and the wrong name. Their values are masked wherever
 * headers are shown or captured, as the secret may be in any of them.
 */
const CREDENTIAL_HEADER = /secret|token|auth|api[-_]?key|signature|password/i;

export const MASK = '********';

export type SecretVerdict =
  { isValid: true } | { isValid: false; reason: string };

/**
 * Checks X-Webhook-Secret in constant time. A failure says which of the
 * three mistakes it is (missing, wrong header name, wrong value) and never
 * quotes a value, received or expected.
 */
export function checkSecret(
  headers: IncomingHttpHeaders,
  secretDigest: Buffer,
): SecretVerdict {
  const value = headers[SECRET_HEADER];
  if (typeof value === 'string') {
    return isSecretMatch(value, secretDigest)
      ? { isValid: true }
      : { isValid: false, reason: describeWrongValue(value) };
  }
  const lookalike =
    Object.keys(headers).find((name) =>
      holdsSecret(headers[name], secretDigest),
    ) ?? Object.keys(headers).find((name) => CREDENTIAL_HEADER.test(name));
  if (lookalike) {
    return {
      isValid: false,
      reason: `wrong header name: found ${lookalike} but no X-Webhook-Secret; send the secret in X-Webhook-Secret`,
    };
  }
  return { isValid: false, reason: 'missing X-Webhook-Secret header' };
}

function describeWrongValue(value: string): string {
  return value === ''
    ? 'wrong value: X-Webhook-Secret is empty'
    : 'wrong value in X-Webhook-Secret';
}

/**
 * A copy of the headers fit to show or store: the values of credential-like
 * headers, and of any header holding the secret, are masked.
 */
export function maskHeaders(
  headers: IncomingHttpHeaders,
  secretDigest: Buffer,
): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const isHidden =
      name === SECRET_HEADER ||
      CREDENTIAL_HEADER.test(name) ||
      holdsSecret(value, secretDigest);
    masked[name] = isHidden ? MASK : value;
  }
  return masked;
}

/** The value is the secret, alone or after a scheme such as `Bearer`. */
function holdsSecret(
  value: string | string[] | undefined,
  secretDigest: Buffer,
): boolean {
  if (typeof value !== 'string') return false;
  const lastWord = value.slice(value.lastIndexOf(' ') + 1);
  return isSecretMatch(lastWord, secretDigest);
}
