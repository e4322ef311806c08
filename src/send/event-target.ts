import { isLoopback } from '../commands/push/target.js';
import { UsageError } from '../errors.js';

/**
 * The URL that trigger and replay send events to (`--to`). Events carry
 * the webhook secret, so plain http goes only to this machine unless
 * `--insecure` says the user accepts that anyone on the way could read it.
 */
export function parseEventTarget(
  text: string,
  isInsecureAllowed: boolean,
): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(
      'target.invalidUrl',
      `--to "${text}" is not a URL. Give a full address such as http://127.0.0.1:3000/webhooks.`,
      { cause: error },
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      'target.credentialsInUrl',
      'The --to URL carries a user name or password. Remove them: the webhook secret is sent in the X-Webhook-Secret header.',
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') {
    throw new UsageError(
      'target.unsupportedProtocol',
      `"${url.protocol}" URLs are not supported. Use http:// or https://.`,
    );
  }
  if (isLoopback(url.hostname) || isInsecureAllowed) return url;
  throw new UsageError(
    'target.insecureUrl',
    `Refusing to send events and the webhook secret to ${url.host} over plain http: anyone on the way could read or change them. Use https://, http:// to this machine (127.0.0.1, ::1 or localhost), or --insecure if you accept that risk.`,
  );
}
