/**
 * Headers that describe one connection, not the event (RFC 9110 section
 * 7.6.1, plus Host and the body's framing). The forward travels on its own
 * connection to another host, so these are left out and undici writes its
 * own Host, Content-Length and Connection for that hop.
 */
const HOP_BY_HOP = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/**
 * The headers to forward, from Node's `rawHeaders` (name, value, name,
 * value…): every end-to-end header with its name's letter case, its order
 * and its repeats as received, the secret header included. Hop-by-hop
 * headers are dropped, as are the headers a `Connection` header names.
 */
export function forwardHeaders(rawHeaders: readonly string[]): string[] {
  const named = namedByConnection(rawHeaders);
  const kept: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    const lowerName = name.toLowerCase();
    if (HOP_BY_HOP.has(lowerName) || named.has(lowerName)) continue;
    kept.push(name, rawHeaders[index + 1]!);
  }
  return kept;
}

function namedByConnection(rawHeaders: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if (rawHeaders[index]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[index + 1]!.split(',')) {
      named.add(token.trim().toLowerCase());
    }
  }
  return named;
}
