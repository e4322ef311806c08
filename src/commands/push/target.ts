import { isIP } from 'node:net';

import { type Config } from '../../config.js';
import { UsageError } from '../../errors.js';

export const ASTRADIAL_HOST = 'events.astradial.com';

/** The platform's documented limit, per second and per IP address. */
export const ASTRADIAL_RATE_LIMIT = 60;

type TargetLayer = Pick<Config, 'company' | 'url'>;

/**
 * Finds where to send from the layers of settings, most important first:
 * the first layer that names a company or a URL decides, so `--company`
 * on the command line beats a URL in the config file.
 */
export function resolveTarget(
  layers: Array<{ name: string; values: TargetLayer }>,
): URL | undefined {
  for (const { name, values } of layers) {
    if (values.company !== undefined && values.url !== undefined) {
      throw new UsageError(
        'target.ambiguous',
        `${name} gives both a company code and a URL. Keep one: the company code sends to https://${ASTRADIAL_HOST}/<company>, the URL replaces it.`,
      );
    }
    if (values.url !== undefined) return parseTargetUrl(values.url);
    if (values.company !== undefined) {
      return new URL(`https://${ASTRADIAL_HOST}/${values.company}`);
    }
  }
  return undefined;
}

function parseTargetUrl(text: string): URL {
  const url = parseUrlWithoutCredentials(text, {
    example: `https://${ASTRADIAL_HOST}/acme`,
  });
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new UsageError(
      'target.insecureUrl',
      `Refusing to send leads and the webhook secret to ${url.host} over plain http: anyone on the way could read or change them. Use https://, or http:// only to this machine (127.0.0.1, ::1 or localhost).`,
    );
  }
  throw new UsageError(
    'target.unsupportedProtocol',
    `"${url.protocol}" URLs are not supported. Use an https:// URL.`,
  );
}

/**
 * Reads a URL that requests will be sent to, refusing one with a user name
 * or password in it: the secret has a header of its own. `flag` names the
 * option it came from in messages (`--to`); `example` is a URL to suggest.
 */
export function parseUrlWithoutCredentials(
  text: string,
  { flag, example }: { flag?: string; example: string },
): URL {
  const prefix = flag ? `${flag} ` : '';
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(
      'target.invalidUrl',
      `${prefix}"${text}" is not a URL. Give a full address such as ${example}.`,
      { cause: error },
    );
  }
  if (url.username || url.password) {
    throw new UsageError(
      'target.credentialsInUrl',
      `The ${prefix}URL carries a user name or password. Remove them: the webhook secret is sent in the X-Webhook-Secret header.`,
    );
  }
  return url;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** True when requests go to AstraDial itself, where its limit applies. */
export function isAstradialHost(url: URL): boolean {
  // URL lowercases the name but keeps a trailing dot, which DNS ignores.
  return url.hostname.replace(/\.$/, '') === ASTRADIAL_HOST;
}
