import { readFile } from 'node:fs/promises';

import { loadConfigFile, readEnvironmentConfig } from '../../config.js';
import { parseKindList } from '../../contract/parse-kind-list.js';
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../duration.js';
import { createAllowList, type AllowList } from '../../receiver/allow-list.js';
import { parseByteSize } from '../../receiver/byte-size.js';
import { verifyTlsPair } from '../../receiver/tls-pair.js';
import { resolveCommandSecret, type ResolvedSecret } from '../../secret.js';
import type { GlobalOptions } from '../../output.js';

/** Flags of `astradial listen` as commander hands them over. */
export interface ListenFlags extends GlobalOptions {
  port: number;
  host: string;
  cert?: string;
  key?: string;
  secretFile?: string;
  secret?: string;
  allowIp: string[];
  trustProxy: boolean;
  maxBody: string;
  rateLimit: number;
  requestTimeout: string;
  path?: string;
  strict: boolean;
  verbose: boolean;
  events?: string;
  capture?: string;
  readyFile?: string;
  count?: number;
  timeout?: string;
  expectValid: boolean;
  forwardTo?: string;
  forwardTimeout: string;
  forwardQueue: number;
}

/** Where and how accepted events are re-sent (--forward-to). */
export interface ForwardSettings {
  url: URL;
  timeoutMs: number;
  /** Events waiting behind the one being sent, at most. */
  maxQueued: number;
}

/** Everything a listen run needs, checked before anything is bound. */
export interface ListenSettings {
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer };
  secret: ResolvedSecret;
  allowList?: AllowList;
  trustProxy: boolean;
  maxBodyBytes: number;
  rateLimit: number;
  requestTimeoutMs: number;
  path?: string;
  isStrict: boolean;
  isVerbose: boolean;
  events?: ReadonlySet<string>;
  capturePath?: string;
  readyFile?: string;
  /** Stop with exit 0 after this many matching events. */
  count?: number;
  /** Give up after this long (exit code listenTimedOut). */
  timeoutMs?: number;
  expectValid: boolean;
  forward?: ForwardSettings;
  warnings: string[];
}

export async function resolveListenSettings(
  flags: ListenFlags,
): Promise<ListenSettings> {
  const secret = await resolveListenSecret(flags);
  const warnings =
    secret.source === 'flag'
      ? [
          'The secret given with --secret is visible to other users of this machine in the process list. Prefer --secret-file or ASTRADIAL_WEBHOOK_SECRET.',
        ]
      : [];
  return {
    host: flags.host,
    port: checkWholeNumber(flags.port, '--port', 65_535),
    tls: await readTls(flags.cert, flags.key),
    secret,
    allowList:
      flags.allowIp.length > 0 ? createAllowList(flags.allowIp) : undefined,
    trustProxy: flags.trustProxy,
    maxBodyBytes: parseByteSize(flags.maxBody, '--max-body'),
    rateLimit: checkWholeNumber(flags.rateLimit, '--rate-limit'),
    requestTimeoutMs: parseDuration(flags.requestTimeout, '--request-timeout'),
    path: flags.path === undefined ? undefined : checkPath(flags.path),
    isStrict: flags.strict,
    isVerbose: flags.verbose,
    events:
      flags.events === undefined
        ? undefined
        : parseKindList(flags.events, '--events', 'listen.invalidEvents'),
    capturePath: flags.capture,
    readyFile: flags.readyFile,
    count:
      flags.count === undefined
        ? undefined
        : checkWholeNumber(flags.count, '--count', Infinity, 1),
    timeoutMs:
      flags.timeout === undefined
        ? undefined
        : parseDuration(flags.timeout, '--timeout'),
    expectValid: flags.expectValid,
    forward: resolveForward(flags),
    warnings,
  };
}

function resolveForward(flags: ListenFlags): ForwardSettings | undefined {
  if (flags.forwardTo === undefined) return undefined;
  const url = parseForwardUrl(flags.forwardTo);
  if (isListenItself(url, flags)) {
    throw new UsageError(
      'listen.forwardLoop',
      `--forward-to ${flags.forwardTo} is this listener's own address: every event would be forwarded back to it, again and again. Point it at your app, which listens on another port.`,
    );
  }
  return {
    url,
    timeoutMs: parseDuration(flags.forwardTimeout, '--forward-timeout'),
    maxQueued: checkWholeNumber(flags.forwardQueue, '--forward-queue'),
  };
}

function parseForwardUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return url;
  }
  throw new UsageError(
    'listen.invalidForwardTo',
    `--forward-to "${text}" is not an http:// or https:// URL. Give your app's full address, e.g. --forward-to http://127.0.0.1:3000/webhooks.`,
  );
}

/** The URL names listen's own port on this machine (port 0 never clashes). */
function isListenItself(url: URL, flags: ListenFlags): boolean {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (flags.port === 0 || port !== flags.port) return false;
  const host = url.hostname;
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    host.startsWith('127.') ||
    host === flags.host ||
    flags.host === '0.0.0.0' ||
    flags.host === '::'
  );
}

/** The secret as push finds it: flag, file, environment, then config. */
async function resolveListenSecret(
  flags: ListenFlags,
): Promise<ResolvedSecret> {
  const file = await loadConfigFile(flags.config);
  const secret = await resolveCommandSecret(
    flags,
    readEnvironmentConfig().secret,
    file,
  );
  if (secret) return secret;
  throw new UsageError(
    'listen.noSecret',
    'No webhook secret to check requests against. Set ASTRADIAL_WEBHOOK_SECRET, or pass --secret-file <path>, or put secretFile in the config file.',
  );
}

async function readTls(
  cert: string | undefined,
  key: string | undefined,
): Promise<ListenSettings['tls']> {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new UsageError(
      'listen.incompleteTls',
      'HTTPS needs both --cert and --key. Pass both, or neither for plain HTTP.',
    );
  }
  const files = {
    certPath: cert,
    keyPath: key,
    cert: await readPem(cert, '--cert'),
    key: await readPem(key, '--key'),
  };
  verifyTlsPair(files);
  return { cert: files.cert, key: files.key };
}

async function readPem(file: string, flag: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(
      'listen.unreadableTls',
      `Could not read ${flag} ${file}. Check the path and its permissions.`,
      { cause: error },
    );
  }
}

function checkPath(value: string): string {
  if (value.startsWith('/')) return value;
  throw new UsageError(
    'listen.invalidPath',
    `--path "${value}" must start with "/", e.g. --path /acme.`,
  );
}

function checkWholeNumber(
  value: number,
  flag: string,
  max = Infinity,
  min = 0,
): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Infinity ? `${min} or more` : `${min} to ${max}`;
  throw new UsageError(
    'usage.invalidNumber',
    `${flag} ${value} is not a whole number from ${range}.`,
  );
}
