import type { IncomingMessage } from 'node:http';

import { unmapIpv4 } from './allow-list.js';

/**
 * The address a request counts as coming from, for --allow-ip and the rate
 * limit. With `trustProxy`, it is the last (right-most) entry of
 * X-Forwarded-For: the one the proxy directly in front of us appended, and
 * the only one a client cannot forge through that proxy. Without it, the
 * header is ignored and the socket's peer is used.
 */
export function clientAddress(
  request: IncomingMessage,
  trustProxy: boolean,
): string {
  const peer = unmapIpv4(request.socket.remoteAddress ?? '');
  if (!trustProxy) return peer;
  const forwarded = request.headers['x-forwarded-for'];
  if (typeof forwarded !== 'string') return peer;
  const last = forwarded.split(',').at(-1)?.trim();
  return last ? unmapIpv4(last) : peer;
}
