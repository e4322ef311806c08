import {
  ASTRADIAL_HOST,
  isAstradialHost,
  isLoopback,
  parseUrlWithoutCredentials,
} from '../commands/push/target.js';
import { UsageError } from '../errors.js';
import { createSecretMask } from '../receiver/secret-mask.js';

/**
 * The URL that trigger and replay send events to (`--to`). Events carry
 * the webhook secret, so plain http goes only to this machine unless
 * `--insecure` says the user accepts that anyone on the way could read it.
 */
export function parseEventTarget(
  text: string,
  isInsecureAllowed: boolean,
): URL {
  const url = parseUrlWithoutCredentials(text, {
    flag: '--to',
    example: 'http://127.0.0.1:3000/webhooks',
  });
  if (isAstradialHost(url)) {
    // AstraDial's ingest takes lead pushes (push); the events trigger and
    // replay send are what AstraDial sends out. Sending them to it is a
    // mistake, and one that would reach a production system.
    throw new UsageError(
      'target.astradial',
      `--to names ${ASTRADIAL_HOST}, AstraDial's own ingest, which takes lead pushes and not the events it sends. Give the URL of the receiver you are building, such as http://127.0.0.1:3000/webhooks.`,
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') {
    // `localhost:3000/hooks` parses with "localhost:" as its scheme.
    const hint = text.includes('://') ? '' : ` Did you mean http://${text}?`;
    throw new UsageError(
      'target.unsupportedProtocol',
      `"${url.protocol}" URLs are not supported. Use http:// or https://.${hint}`,
    );
  }
  if (isLoopback(url.hostname) || isInsecureAllowed) return url;
  throw new UsageError(
    'target.insecureUrl',
    `Refusing to send events and the webhook secret to ${url.host} over plain http: anyone on the way could read or change them. Use https://, http:// to this machine (127.0.0.1, ::1 or localhost), or --insecure if you accept that risk.`,
  );
}

/** The warning for plain http to another machine, allowed by --insecure. */
export function insecureTargetWarning(url: URL): string | undefined {
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return undefined;
  return `Sending the events and the webhook secret to ${url.host} over plain http (--insecure): anyone on the way can read them.`;
}

/**
 * The secret goes in X-Webhook-Secret. In the --to URL it would be printed
 * with it (the report, the curl line) and seen in the process list.
 */
export function verifySecretNotInTarget(url: URL, secret: string): void {
  if (!createSecretMask(secret).isFoundIn(url.href)) return;
  throw new UsageError(
    'target.secretInUrl',
    'The --to URL holds the webhook secret, where the report and the process list would show it. Take it out: the secret is sent in the X-Webhook-Secret header.',
  );
}
