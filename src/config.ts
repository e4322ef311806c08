import { stripVTControlCharacters } from 'node:util';

import { cosmiconfig } from 'cosmiconfig';
import { z } from 'zod';

import { UsageError } from './errors.js';

const MODULE_NAME = 'astradial';

const SEARCH_PLACES = [
  'package.json',
  '.astradialrc',
  '.astradialrc.json',
  '.astradialrc.js',
  '.astradialrc.mjs',
  '.astradialrc.cjs',
  'astradial.config.json',
  'astradial.config.js',
  'astradial.config.mjs',
  'astradial.config.cjs',
];

/**
 * Settings a config file may hold. Every key can also be given as a flag;
 * flags win over environment variables, which win over the file.
 */
export const CONFIG_SCHEMA = z
  .object({
    company: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only')
      .describe(
        'Company code: push sends to https://events.astradial.com/<company>.',
      )
      .optional(),
    url: z
      .url()
      .describe('Full endpoint URL; replaces the one built from company.')
      .optional(),
    secret: z
      .string()
      .min(1)
      .describe(
        'Webhook secret. Prefer secretFile or ASTRADIAL_WEBHOOK_SECRET.',
      )
      .optional(),
    secretFile: z
      .string()
      .min(1)
      .describe('Path of a file holding the webhook secret.')
      .optional(),
    rate: z
      .number()
      .min(0.01, 'at least 0.01 requests per second')
      .describe('Requests per second push sends at most.')
      .optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as IN')
      .describe('Country assumed for phone numbers without a country code.')
      .optional(),
    timezone: z
      .string()
      .min(1)
      .describe('IANA time zone that dates without an offset are read in.')
      .optional(),
    dateFormat: z
      .string()
      .min(1)
      .describe('Format of dates in the file, such as MM/DD/YYYY.')
      .optional(),
    encoding: z
      .preprocess(
        (value) => (typeof value === 'string' ? value.toLowerCase() : value),
        z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']),
      )
      .describe('Character encoding of the CSV file; detected when unset.')
      .optional(),
    delimiter: z
      .preprocess(
        (value) => (value === 'tab' || value === '\\t' ? '\t' : value),
        z.enum([',', ';', '\t', '|']),
      )
      .describe('Cell delimiter of the CSV file; detected when unset.')
      .optional(),
    map: z
      .record(z.string(), z.string())
      .describe('JSON field to CSV header, e.g. { "phone_number": "Mobile" }.')
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof CONFIG_SCHEMA>;

export interface LoadedConfig {
  config: Config;
  /** The file it came from, when one was found. */
  filepath?: string;
}

/**
 * Environment variables that stand in for config keys. The secret's is the
 * one name that the AstraDial documentation's readers will look for.
 */
const ENVIRONMENT_KEYS = {
  ASTRADIAL_WEBHOOK_SECRET: 'secret',
  ASTRADIAL_COMPANY: 'company',
  ASTRADIAL_URL: 'url',
  ASTRADIAL_RATE: 'rate',
  ASTRADIAL_COUNTRY: 'country',
  ASTRADIAL_TIMEZONE: 'timezone',
} as const satisfies Record<string, keyof Config>;

/**
 * Finds and validates the config file: the one named by `--config`, or the
 * first of SEARCH_PLACES from the working directory up to the project root.
 */
export async function loadConfigFile(
  explicitPath: string | undefined,
  cwd: string = process.cwd(),
): Promise<LoadedConfig> {
  const explorer = cosmiconfig(MODULE_NAME, {
    searchPlaces: SEARCH_PLACES,
    searchStrategy: 'project',
  });

  let result;
  try {
    result = explicitPath
      ? await explorer.load(explicitPath)
      : await explorer.search(cwd);
  } catch (error) {
    throw unreadableConfig(error, explicitPath);
  }
  if (!result || result.isEmpty)
    return { config: {}, filepath: result?.filepath };

  return {
    config: parseConfig(result.config, result.filepath),
    filepath: result.filepath,
  };
}

/**
 * Validates raw config, naming every bad key at once: by default as
 * `<source>: <key>`, or as `describeKey` names it (a flag, a variable).
 */
export function parseConfig(
  raw: unknown,
  source: string,
  describeKey: (key: string) => string = (key) => `${source}: ${key}`,
): Config {
  const parsed = CONFIG_SCHEMA.safeParse(raw);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(top level)';
    return `  ${describeKey(key)}: ${issue.message}`;
  });
  throw new UsageError(
    'config.invalid',
    `The config is not valid:\n${problems.join('\n')}\nFix these and run again.`,
  );
}

/** The environment variable that stands in for a config key, if any. */
export function environmentVariableOf(key: string): string | undefined {
  return Object.entries(ENVIRONMENT_KEYS).find(
    ([, configKey]) => configKey === key,
  )?.[0];
}

/** Reads the ASTRADIAL_* variables into config keys, validated. */
export function readEnvironmentConfig(
  environment: NodeJS.ProcessEnv = process.env,
): Config {
  const raw: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(ENVIRONMENT_KEYS)) {
    const value = environment[variable];
    if (value === undefined || value === '') continue;
    raw[key] = key === 'rate' ? Number(value) : value;
  }

  const parsed = CONFIG_SCHEMA.safeParse(raw);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return `  ${environmentVariableOf(key) ?? key}: ${issue.message}`;
  });
  throw new UsageError(
    'config.invalidEnvironment',
    `An environment variable is not valid:\n${problems.join('\n')}\nFix it or unset it.`,
  );
}

/**
 * Merges config layers, later ones winning. A layer's undefined values never
 * hide an earlier layer's setting, so flags the user did not type do not
 * override the file. Column mappings merge field by field.
 */
export function mergeConfig(...layers: Config[]): Config {
  const merged: Config = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined || key === 'map') continue;
      Object.assign(merged, { [key]: value });
    }
    if (layer.map) merged.map = { ...merged.map, ...layer.map };
  }
  return merged;
}

/**
 * The parser's own message quotes the lines around the mistake, and a
 * config file may hold the secret, so only the file and the line are shown.
 */
function unreadableConfig(
  error: unknown,
  explicitPath: string | undefined,
): UsageError {
  // The code frame is coloured when the parser thinks it may (as under CI).
  const text = stripVTControlCharacters(
    error instanceof Error ? error.message : '',
  );
  const file =
    /Error in (\S+?):\s/.exec(text)?.[1] ?? explicitPath ?? 'the config file';
  const line = /^> (\d+) \|/m.exec(text)?.[1];
  const where = line ? ` near line ${line}` : '';
  const isMissing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  const problem = isMissing
    ? 'does not exist'
    : `could not be read or parsed${where} (its text is not shown: it may hold the secret)`;
  return new UsageError(
    'config.unreadable',
    `The config file ${file} ${problem}. Fix it, or pass another file with --config.`,
  );
}
