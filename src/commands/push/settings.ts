import { fstatSync, statSync, type Stats } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

import type { CountryCode } from 'libphonenumber-js/max';

import {
  environmentVariableOf,
  loadConfigFile,
  mergeConfig,
  parseConfig,
  readEnvironmentConfig,
  type Config,
} from '../../config.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_MAX_WAIT_MS } from '../../delivery/delivery-options.js';
import { parseDuration } from '../../duration.js';
import { verifyJournalPath } from '../../journal/journal-path.js';
import { resolveCommandSecret, type ResolvedSecret } from '../../secret.js';
import {
  DEFAULT_COUNTRY,
  DEFAULT_RATE,
  DEFAULT_TIMEOUT_MS,
} from './defaults.js';
import {
  ASTRADIAL_RATE_LIMIT,
  isAstradialHost,
  resolveTarget,
} from './target.js';
import type { GlobalOptions } from '../../output.js';

/** Flags of `astradial push` as commander hands them over. */
export interface PushFlags extends GlobalOptions {
  company?: string;
  url?: string;
  secretFile?: string;
  secret?: string;
  rate?: number;
  country?: string;
  timezone?: string;
  dateFormat?: string;
  encoding?: Config['encoding'];
  delimiter?: string;
  map: string[];
  rejects?: string;
  dryRun: boolean;
  /** A path, or false for --no-state. */
  state?: string | false;
  restart: boolean;
  resendUncertain: boolean;
  duplicates: DuplicatePolicy;
  maxWait?: string;
  timeout?: string;
}

/** What to do with a row repeating an earlier row's number and event date. */
export type DuplicatePolicy = 'skip' | 'send' | 'reject';

/** Everything a push run needs, resolved from flags, environment and file. */
export interface PushSettings {
  /** A file path, or '-' for standard input. */
  input: string;
  target?: URL;
  secret?: ResolvedSecret;
  rate: number;
  country: CountryCode;
  timezone: string;
  dateFormat?: string;
  encoding?: Config['encoding'];
  delimiter?: string;
  map: Record<string, string>;
  rejectsPath: string;
  dryRun: boolean;
  /** The journal that makes a rerun resume; undefined: none is kept. */
  statePath: string | undefined;
  restart: boolean;
  resendUncertain: boolean;
  duplicates: DuplicatePolicy;
  maxWaitMs: number;
  timeoutMs: number;
  /** Where each setting the user gave came from: a flag, variable or file. */
  origins: Partial<Record<keyof Config, string>>;
  /** Things the user should hear about before the run starts. */
  warnings: string[];
}

export async function resolvePushSettings(
  input: string,
  flags: PushFlags,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<PushSettings> {
  const file = await loadConfigFile(flags.config);
  const fromEnvironment = readEnvironmentConfig(environment);
  const fromFlags = configFromFlags(flags);
  const config = mergeConfig(file.config, fromEnvironment, fromFlags);

  const target = resolveTarget([
    { name: 'The command line', values: fromFlags },
    { name: 'The environment', values: fromEnvironment },
    { name: file.filepath ?? 'The config file', values: file.config },
  ]);
  const secret = await resolveCommandSecret(
    flags,
    fromEnvironment.secret,
    file,
  );
  await verifyInputReadable(input);

  const settings: PushSettings = {
    input,
    target,
    secret,
    rate: checkRate(config.rate ?? DEFAULT_RATE, target),
    // The row converter checks the country and the zone when it is made.
    country: (config.country ?? DEFAULT_COUNTRY).toUpperCase() as CountryCode,
    timezone: config.timezone ?? localTimezone(),
    dateFormat: config.dateFormat,
    encoding: config.encoding,
    delimiter: config.delimiter,
    map: config.map ?? {},
    rejectsPath: flags.rejects ?? defaultRejectsPath(input),
    dryRun: flags.dryRun,
    statePath: chooseStatePath(input, flags),
    restart: flags.restart,
    resendUncertain: flags.resendUncertain,
    duplicates: flags.duplicates,
    maxWaitMs:
      flags.maxWait === undefined
        ? DEFAULT_MAX_WAIT_MS
        : parseDuration(flags.maxWait, '--max-wait'),
    timeoutMs:
      flags.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : parseDuration(flags.timeout, '--timeout'),
    origins: describeOrigins(
      file.config,
      file.filepath,
      fromEnvironment,
      fromFlags,
    ),
    warnings: [],
  };
  await verifyRejectsPath(settings.rejectsPath, input);
  if (settings.statePath) {
    if (settings.statePath === path.resolve(settings.rejectsPath)) {
      throw new UsageError(
        'push.stateIsRejects',
        `--state and --rejects name the same file, ${settings.statePath}: the rejects would overwrite the journal. Give them different paths.`,
      );
    }
    await verifyStatePath(settings.statePath, input);
  }
  if (!flags.dryRun) verifyCanSend(settings);
  if (secret?.source === 'flag') {
    settings.warnings.push(
      'The secret given with --secret is visible to other users of this machine in the process list. Prefer --secret-file or ASTRADIAL_WEBHOOK_SECRET.',
    );
  }
  return settings;
}

/**
 * Flags go through the config schema too, so `--company` is checked as the
 * file's `company` is; a problem is named by its flag.
 */
function configFromFlags(flags: PushFlags): Config {
  const raw = {
    company: flags.company,
    url: flags.url,
    rate: flags.rate,
    country: flags.country,
    timezone: flags.timezone,
    dateFormat: flags.dateFormat,
    encoding: flags.encoding,
    delimiter: flags.delimiter,
    map: flags.map.length > 0 ? parseMappings(flags.map) : undefined,
  };
  return parseConfig(raw, 'the command line', (key) => `--${kebabCase(key)}`);
}

function describeOrigins(
  fileConfig: Config,
  filepath: string | undefined,
  fromEnvironment: Config,
  fromFlags: Config,
): PushSettings['origins'] {
  const origins: PushSettings['origins'] = {};
  const layers: Array<[Config, (key: string) => string]> = [
    [fileConfig, (key) => `${filepath ?? 'config'}: ${key}`],
    [fromEnvironment, (key) => environmentVariableOf(key) ?? key],
    [fromFlags, (key) => `--${kebabCase(key)}`],
  ];
  for (const [layer, describe] of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) origins[key as keyof Config] = describe(key);
    }
  }
  return origins;
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function parseMappings(entries: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const field = entry.slice(0, separator).trim();
    const header = entry.slice(separator + 1);
    if (separator <= 0 || field === '' || header.trim() === '') {
      throw new UsageError(
        'push.invalidMap',
        `--map "${entry}" is not of the form field=header, e.g. --map phone_number="Mobile No."`,
      );
    }
    if (map[field] !== undefined) {
      throw new UsageError(
        'push.duplicateMap',
        `--map names ${field} twice ("${map[field]}" and "${header}"). Keep one.`,
      );
    }
    map[field] = header;
  }
  return map;
}

/** The schema bounds the rate from below; AstraDial's limit bounds it above. */
function checkRate(rate: number, target: URL | undefined): number {
  if (target && isAstradialHost(target) && rate > ASTRADIAL_RATE_LIMIT) {
    throw new UsageError(
      'push.rateAboveLimit',
      `AstraDial accepts at most ${ASTRADIAL_RATE_LIMIT} requests per second per address; a rate of ${rate} would be refused. Set the rate to ${ASTRADIAL_RATE_LIMIT} or less.`,
    );
  }
  return rate;
}

function localTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

async function verifyInputReadable(input: string): Promise<void> {
  if (input === '-') return;
  try {
    await access(input, constants.R_OK);
  } catch (error) {
    throw new UsageError(
      'input.unreadable',
      `Cannot read ${input}: ${describeAccessError(error)}. Check the path.`,
      { cause: error },
    );
  }
}

function describeAccessError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'there is no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return (error as Error).message;
  }
}

/**
 * The rejects file is checked before the first row: a path that cannot be
 * written would lose the rejected rows at the end of a run, and a path that
 * is the input itself (`push - < stdin.rejects.csv`) would overwrite the
 * rows being read and feed them back forever.
 */
async function verifyRejectsPath(
  rejectsPath: string,
  input: string,
): Promise<void> {
  const existing = await stat(rejectsPath).catch(() => undefined);
  if (existing && isSameFile(existing, statInput(input))) {
    throw new UsageError(
      'push.rejectsIsInput',
      `The rejects file ${rejectsPath} is the file being pushed: writing it would destroy the rows being read. Rename or move the input, or pass --rejects with another path.`,
    );
  }
  const target = existing ? rejectsPath : path.dirname(rejectsPath);
  try {
    if (existing?.isDirectory()) throw new Error('a folder');
    await access(target, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      'push.rejectsUnwritable',
      `Cannot write the rejects file ${rejectsPath}: ${existing ? 'it is a folder or read-only' : 'its folder does not exist or is read-only'}. Pass --rejects with a path you can write to.`,
      { cause: error },
    );
  }
}

/** The input's file, also behind standard input when it is redirected. */
function statInput(input: string): Stats | undefined {
  try {
    return input === '-' ? fstatSync(0) : statSync(input);
  } catch {
    return undefined;
  }
}

function isSameFile(rejects: Stats, input: Stats | undefined): boolean {
  return (
    input !== undefined &&
    rejects.dev === input.dev &&
    rejects.ino === input.ino
  );
}

function verifyCanSend(settings: PushSettings): void {
  if (!settings.target) {
    throw new UsageError(
      'push.noTarget',
      'Say where to send: --company <code> (the company code from your AstraDial webhook credentials) or --url <url>.',
    );
  }
  if (!settings.secret) {
    throw new UsageError(
      'push.noSecret',
      'No webhook secret. Set ASTRADIAL_WEBHOOK_SECRET, or pass --secret-file <path>, or put secretFile in the config file.',
    );
  }
}

/**
 * The journal lives beside the input unless --state says otherwise. A dry
 * run sends nothing and keeps none. Standard input and named pipes cannot
 * be fingerprinted before they are read (reading them uses them up), so
 * they get no journal, and asking for one is an error.
 */
function chooseStatePath(input: string, flags: PushFlags): string | undefined {
  verifyRestartHasState(flags);
  if (flags.dryRun || flags.state === false) return undefined;
  if (input === '-' || !statInput(input)?.isFile()) {
    if (flags.state === undefined) return undefined;
    throw new UsageError(
      'push.stateNeedsFile',
      '--state needs a regular file to push: standard input or a pipe cannot be checked for changes between runs, so it cannot be resumed. Save it to a file and push that.',
    );
  }
  return path.resolve(flags.state ?? defaultStatePath(input));
}

/** --restart discards a journal; with --no-state there is none. */
function verifyRestartHasState(flags: PushFlags): void {
  if (!(flags.restart && flags.state === false)) return;
  throw new UsageError(
    'push.restartWithoutState',
    '--restart and --no-state do not go together: --restart discards the journal of earlier runs, and --no-state keeps none. Drop --restart to push every row without a journal, or drop --no-state to start over with a new journal.',
  );
}

/** leads.csv gives leads.csv.push-state beside it. */
export function defaultStatePath(input: string): string {
  return `${path.resolve(input)}.push-state`;
}

async function verifyStatePath(
  statePath: string,
  input: string,
): Promise<void> {
  const existing = await stat(statePath).catch(() => undefined);
  if (existing && isSameFile(existing, statInput(input))) {
    throw new UsageError(
      'push.stateIsInput',
      `The state file ${statePath} is the file being pushed. Pass --state with another path.`,
    );
  }
  await verifyJournalPath(statePath);
}

/** leads.csv gives leads.rejects.csv beside it; stdin gives one in cwd. */
export function defaultRejectsPath(input: string): string {
  if (input === '-') return path.resolve('stdin.rejects.csv');
  const parsed = path.parse(path.resolve(input));
  return path.join(parsed.dir, `${parsed.name}.rejects.csv`);
}
