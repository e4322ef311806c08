import { readFile } from 'node:fs/promises';
import path from 'node:path';

import type { LoadedConfig } from './config.js';
import { UsageError } from './errors.js';

/** Where the secret came from, for messages that must never show it. */
export type SecretSource = 'flag' | 'file' | 'environment' | 'config';

export interface ResolvedSecret {
  value: string;
  source: SecretSource;
  /** Shown to the user as the place to fix, e.g. a file path. */
  origin: string;
}

export interface SecretInputs {
  flagSecret?: string;
  secretFile?: string;
  environmentSecret?: string;
  configSecret?: string;
  configSecretFile?: string;
  configPath?: string;
}

/**
 * The secret as a command finds it: its --secret and --secret-file flags,
 * ASTRADIAL_WEBHOOK_SECRET, then the loaded config file, whose relative
 * secretFile is relative to the config file itself.
 */
export function resolveCommandSecret(
  flags: { secret?: string; secretFile?: string },
  environmentSecret: string | undefined,
  file: LoadedConfig,
): Promise<ResolvedSecret | undefined> {
  const { secretFile } = file.config;
  return resolveSecret({
    flagSecret: flags.secret,
    secretFile: flags.secretFile,
    environmentSecret,
    configSecret: file.config.secret,
    configSecretFile:
      secretFile && file.filepath
        ? path.resolve(path.dirname(file.filepath), secretFile)
        : secretFile,
    configPath: file.filepath,
  });
}

/**
 * Picks the secret from the most specific place the user gave it:
 * --secret, --secret-file, ASTRADIAL_WEBHOOK_SECRET, then the config file.
 */
export async function resolveSecret(
  inputs: SecretInputs,
): Promise<ResolvedSecret | undefined> {
  if (inputs.flagSecret !== undefined) {
    return checked(inputs.flagSecret, 'flag', '--secret');
  }
  if (inputs.secretFile !== undefined) {
    return readSecretFile(inputs.secretFile, 'file');
  }
  if (inputs.environmentSecret !== undefined) {
    return checked(
      inputs.environmentSecret,
      'environment',
      'ASTRADIAL_WEBHOOK_SECRET',
    );
  }
  if (inputs.configSecret !== undefined) {
    return checked(
      inputs.configSecret,
      'config',
      inputs.configPath ?? 'config',
    );
  }
  if (inputs.configSecretFile !== undefined) {
    return readSecretFile(inputs.configSecretFile, 'config');
  }
  return undefined;
}

async function readSecretFile(
  path: string,
  source: SecretSource,
): Promise<ResolvedSecret> {
  let text: string;
  try {
    text = decodeSecretFile(await readFile(path));
  } catch (error) {
    throw new UsageError(
      'secret.unreadable',
      `Could not read the secret file ${path}. Check the path and its permissions.`,
      { cause: error },
    );
  }
  // Editors add a byte order mark and a final line break (Notepad: CRLF);
  // neither is part of the secret, and either would break the header.
  const trimmed = text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  return checked(trimmed, source, path);
}

/** Notepad saves "Unicode" as UTF-16 with a byte order mark. */
function decodeSecretFile(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return bytes.subarray(2).toString('utf16le');
  }
  return bytes.toString('utf8');
}

function checked(
  value: string,
  source: SecretSource,
  origin: string,
): ResolvedSecret {
  if (value.trim() === '') {
    throw new UsageError(
      'secret.empty',
      `The webhook secret from ${origin} is empty. Put the secret AstraDial gave you there.`,
    );
  }
  if (/^[ \t]|[ \t]$/.test(value)) {
    throw new UsageError(
      'secret.surroundingSpace',
      `The webhook secret from ${origin} starts or ends with a space or tab. HTTP removes spaces around header values, so no sender could ever send a secret that matches it. Remove the spaces or tabs around the secret there.`,
    );
  }
  const badPosition = findUnsendableCharacter(value);
  if (badPosition !== -1) {
    throw new UsageError(
      'secret.invalidCharacter',
      `The webhook secret from ${origin} has a character at position ${badPosition + 1} that cannot be sent in an HTTP header (a line break, tab or other control or non-ASCII character). Copy the secret again without it.`,
    );
  }
  return { value, source, origin };
}

/** HTTP header values may hold visible ASCII and inner spaces only. */
function findUnsendableCharacter(value: string): number {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return index;
  }
  return -1;
}
