import { describeConnectionError, findErrorCode } from './describe.js';

/**
 * What a failed request means for its lead and for the run:
 *
 * - `not_sent`: nothing reached the server (refused, unreachable, connect
 *   timeout, a temporary DNS failure). Safe to try again.
 * - `uncertain`: the request was written, then the connection broke or the
 *   answer did not come in time. The server may have stored the lead.
 * - `tls`: the server's certificate was not accepted. Every request would
 *   fail alike, and no retry can help, so the run stops.
 * - `host_not_found`: the name does not resolve (a typo in the URL, or no
 *   network at all); the caller stops unless the host answered before.
 */
export type ConnectionFailure = {
  kind: 'not_sent' | 'uncertain' | 'tls' | 'host_not_found';
  detail: string;
};

// Node's and OpenSSL's names for a TLS handshake that cannot succeed.
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  // Not TLS at the other end at all: an https: URL for an http: server.
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

const TLS_ADVICE =
  'If your network inspects HTTPS through a proxy, give Node its certificate authority with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; otherwise check the URL.';

/**
 * `isWritten` says whether undici began writing the request to a socket;
 * an error before that cannot have reached the server.
 */
export function classifyConnectionFailure(
  error: unknown,
  isWritten: boolean,
  timeoutMs: number,
): ConnectionFailure {
  const code = findErrorCode(error);
  const words = describeConnectionError(error, timeoutMs);
  if (code !== undefined && CERTIFICATE_CODES.has(code)) {
    return {
      kind: 'tls',
      detail: `The server's TLS certificate was not accepted: ${words}. ${TLS_ADVICE}`,
    };
  }
  if (code === 'ENOTFOUND') return { kind: 'host_not_found', detail: words };
  if (!isWritten) return { kind: 'not_sent', detail: words };
  return {
    kind: 'uncertain',
    detail: `The request was sent, then ${words}; the server may have stored it.`,
  };
}
