import { createReadStream, type Stats } from 'node:fs';
import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import { glob } from 'tinyglobby';

import { AstradialError, EXIT_CODES } from '../errors.js';
import {
  compareText,
  listFolderFiles,
  RECORD_FILE_EXTENSIONS,
  type FolderEntry,
} from './list-folder-files.js';

export type VerifyInput = {
  /**
   * As the user named it: the path as given, or as a folder or glob
   * produced it (relative to the working folder unless given absolute);
   * "-" for standard input.
   */
  name: string;
  /** Opens a fresh byte stream of the input. */
  open(): NodeJS.ReadableStream | Readable;
  /** Size in bytes when known (a regular file), for progress. */
  size?: number;
};

const STDIN_NAME = '-';
const GLOB_CHARACTERS = /[*?[\]{}]/;
/** Paths that do not exist; anything else is left for reading to report. */
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR']);

type ResolvedInput = VerifyInput & {
  /** The same file however it was named, so it is read once. */
  identity: string;
};

/**
 * Turns verify's arguments into the inputs to read, in the order given,
 * each file once however often it was named:
 *
 * - `-` is standard input, and may be given once.
 * - An existing path is that file, whatever its name ends in; a pipe or
 *   device (`<(…)`, /dev/stdin) is read as a stream.
 * - A folder is every .json, .ndjson and .jsonl file under it, sorted by
 *   path. Hidden files (`.draft.json`) and everything in hidden folders
 *   (`.git/`) are left out, as is node_modules; a hidden folder named on
 *   purpose is read (see `listFolderFiles`).
 * - Any other argument with `* ? [ ] { }` is a glob, expanded relative to
 *   `cwd` to the files it matches, sorted; quoted globs work the same. As
 *   in a shell, `*` does not match a leading dot: hidden files and folders
 *   are matched only by a pattern that spells the dot.
 *
 * A path that does not exist (a symbolic link to nothing included), a
 * glob that matches no file and a folder with no record file are usage
 * errors, thrown before anything is read:
 * verifying fewer files than were named would pass a CI job it should
 * fail. An input that exists but cannot be read is found when it is read.
 * No arguments give no inputs; what that means is the caller's choice.
 */
export async function resolveInputs(
  args: string[],
  cwd: string,
): Promise<VerifyInput[]> {
  verifyStdinNamedOnce(args);

  const inputs: VerifyInput[] = [];
  const seen = new Set<string>();
  for (const argument of args) {
    for (const { identity, ...input } of await resolveArgument(argument, cwd)) {
      if (seen.has(identity)) continue;
      seen.add(identity);
      inputs.push(input);
    }
  }
  return inputs;
}

function verifyStdinNamedOnce(args: string[]): void {
  const count = args.filter((argument) => argument === STDIN_NAME).length;
  if (count <= 1) return;
  throw usageError(
    'verify.stdinTwice',
    `Standard input (-) is named ${count} times, but it can be read only once. Pass - a single time.`,
  );
}

async function resolveArgument(
  argument: string,
  cwd: string,
): Promise<ResolvedInput[]> {
  if (argument === STDIN_NAME) return [stdinInput()];
  // Resolved, '' would be the working folder itself: more likely an unset
  // shell variable than a wish to verify every file under it.
  if (argument.trim() === '') throw emptyArgument();

  const absolute = path.resolve(cwd, argument);
  const stats = await statIfExists(absolute);
  if (stats === 'missing') {
    const target = await linkTarget(absolute);
    if (target !== undefined) throw brokenLink(argument, absolute, target);
    if (GLOB_CHARACTERS.test(argument)) return globInputs(argument, cwd);
    throw noSuchInput(argument, cwd);
  }
  if (stats?.isDirectory()) return folderInputs(argument, absolute);
  return [await fileInput(argument, absolute, stats)];
}

/**
 * The path's stats, 'missing' when there is nothing there, or undefined
 * when it could not be told (no permission on a parent folder): reading
 * it will say why, for that input alone.
 */
export async function statIfExists(
  absolute: string,
): Promise<Stats | 'missing' | undefined> {
  try {
    return await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && MISSING_CODES.has(code)
      ? 'missing'
      : undefined;
  }
}

/**
 * What the symbolic link at `absolute` points to, or undefined when there
 * is no link there. stat follows links, so a link to nothing looks like
 * nothing at all; the user named something that is there, and should
 * hear which target is missing.
 */
async function linkTarget(absolute: string): Promise<string | undefined> {
  try {
    return await readlink(absolute);
  } catch {
    return undefined;
  }
}

function stdinInput(): ResolvedInput {
  return {
    name: STDIN_NAME,
    identity: STDIN_NAME,
    open: () => process.stdin,
  };
}

async function fileInput(
  name: string,
  absolute: string,
  stats: Stats | undefined,
): Promise<ResolvedInput> {
  const identity = await realpath(absolute).catch(() => absolute);
  const input: ResolvedInput = {
    name,
    identity,
    open: () => createReadStream(absolute),
  };
  if (stats?.isFile()) input.size = stats.size;
  return input;
}

async function folderInputs(
  argument: string,
  absolute: string,
): Promise<ResolvedInput[]> {
  const entries = await listFolderFiles(absolute);
  if (entries.length === 0) throw emptyFolder(argument);
  return Promise.all(
    entries.map((entry) => folderEntryInput(argument, absolute, entry)),
  );
}

async function folderEntryInput(
  argument: string,
  absolute: string,
  entry: FolderEntry,
): Promise<ResolvedInput> {
  const name = path.join(argument, entry.relativePath);
  const entryPath = path.join(absolute, entry.relativePath);
  if (entry.type === 'unreadable') {
    return { name, identity: entryPath, open: () => failing(entry.error) };
  }
  return fileInput(
    name,
    entryPath,
    await stat(entryPath).catch(() => undefined),
  );
}

/** A stream that fails at once, so the error is told when it is read. */
function failing(error: unknown): Readable {
  return new Readable({
    read() {
      this.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  });
}

async function globInputs(
  pattern: string,
  cwd: string,
): Promise<ResolvedInput[]> {
  const matches = await glob(pattern, {
    cwd,
    absolute: true,
    onlyFiles: true,
    dot: false,
    expandDirectories: false,
  });
  if (matches.length === 0) throw globMatchedNothing(pattern, cwd);

  const isAbsolute = path.isAbsolute(pattern);
  const named = matches.map((match) => ({
    absolute: path.resolve(match),
    name: isAbsolute ? path.resolve(match) : path.relative(cwd, match),
  }));
  named.sort((left, right) => compareText(left.name, right.name));
  return Promise.all(
    named.map(async ({ absolute, name }) =>
      fileInput(name, absolute, await stat(absolute).catch(() => undefined)),
    ),
  );
}

function noSuchInput(argument: string, cwd: string): AstradialError {
  const where = path.isAbsolute(argument) ? '' : ` (looked in ${cwd})`;
  return usageError(
    'verify.noSuchInput',
    `No file or folder named ${argument}${where}. Check the path, or pass - to read standard input.`,
  );
}

function brokenLink(
  argument: string,
  absolute: string,
  target: string,
): AstradialError {
  const resolved = path.resolve(path.dirname(absolute), target);
  const where = resolved === target ? '' : ` (${resolved})`;
  return usageError(
    'verify.noSuchInput',
    `${argument} is a symbolic link to ${target}${where}, which does not exist. Point the link at the file of records, or name that file itself.`,
  );
}

function emptyArgument(): AstradialError {
  return usageError(
    'verify.noSuchInput',
    'One of the paths given is empty (an unset shell variable?). Pass a file, a folder, a glob or - for standard input.',
  );
}

function globMatchedNothing(pattern: string, cwd: string): AstradialError {
  return usageError(
    'verify.globMatchedNothing',
    `No file matches ${pattern} (looked in ${cwd}). Check the pattern, or quote it so the shell does not expand it.`,
  );
}

function emptyFolder(argument: string): AstradialError {
  const extensions = RECORD_FILE_EXTENSIONS.join(', ');
  return usageError(
    'verify.emptyFolder',
    `No ${extensions} file in the folder ${argument} (hidden files and folders, and node_modules, are skipped). Name the files themselves, or a glob that matches them.`,
  );
}

function usageError(code: string, message: string): AstradialError {
  return new AstradialError(code, message, EXIT_CODES.usage);
}
