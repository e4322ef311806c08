const USER_AGENT = 'astradial-cli';

/**
 * The headers a replayed event goes with (flat name, value pairs):
 *
 * - `Content-Type` exactly as captured, so a receiver that reads the
 *   charset, or insists on one spelling, sees what AstraDial sent.
 * - `X-Webhook-Secret` with the secret the user has now: the capture
 *   holds it masked, and the receiver should check it as in production.
 * - `User-Agent: astradial-cli`, so the receiver's logs tell a replay
 *   from AstraDial's own delivery.
 *
 * No other captured header is carried. The capture keeps them as Node
 * parsed them (names lowercased, repeats joined), so they could not go
 * byte-exact anyway; credential-like ones are masked there, and sending
 * `********` would only confuse the receiver; and the rest describe the
 * hop to listen (X-Forwarded-For, a tunnel's own headers, a trace or
 * request id of that delivery), not the event, which is its body.
 */
export function replayHeaders(contentType: string, secret: string): string[] {
  return [
    'Content-Type',
    contentType,
    'X-Webhook-Secret',
    secret,
    'User-Agent',
    USER_AGENT,
  ];
}
