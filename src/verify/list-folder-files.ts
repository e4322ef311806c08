import type { Dirent } from 'node:fs';
import { readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';

import { describeSystemError } from '../system-error.js';

/** The names a file of records may have inside a folder, lower-cased. */
export const RECORD_FILE_EXTENSIONS = ['.json', '.ndjson', '.jsonl'];

/** A file found in a folder, or a folder inside it that could not be read. */
export type FolderEntry =
  | { type: 'file'; relativePath: string }
  | { type: 'unreadable'; relativePath: string; error: unknown };

/**
 * The record files under a folder, at any depth, as paths relative to it,
 * sorted. A record file ends in .json, .ndjson or .jsonl, in any case.
 * Hidden files and folders (a name starting with a dot) and node_modules
 * are skipped: they hold tool state and dependencies, not captures, as
 * a shell's `**` would also leave dot folders out. Symbolic links to files
 * count; links to folders are not followed, so a loop cannot trap the
 * walk. A folder inside that cannot be listed, and a link named like a
 * record file whose target is gone, are returned as unreadable, for the
 * caller to report in its turn; the top folder too.
 */
export async function listFolderFiles(folder: string): Promise<FolderEntry[]> {
  const found: FolderEntry[] = [];
  await walk(folder, '', found);
  return found.sort((left, right) =>
    compareText(left.relativePath, right.relativePath),
  );
}

async function walk(
  root: string,
  relativeFolder: string,
  found: FolderEntry[],
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(root, relativeFolder), {
      withFileTypes: true,
    });
  } catch (error) {
    found.push({ type: 'unreadable', relativePath: relativeFolder, error });
    return;
  }
  for (const entry of entries) {
    if (isSkipped(entry.name)) continue;
    const relativePath = path.join(relativeFolder, entry.name);
    if (entry.isDirectory()) {
      await walk(root, relativePath, found);
    } else if (hasRecordExtension(entry.name)) {
      const file = await classifyFile(entry, path.join(root, relativePath));
      if (file === 'file') found.push({ type: 'file', relativePath });
      else if (file !== 'other') {
        found.push({ type: 'unreadable', relativePath, error: file.error });
      }
    }
  }
}

function isSkipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

function hasRecordExtension(name: string): boolean {
  const extension = path.extname(name).toLowerCase();
  return RECORD_FILE_EXTENSIONS.includes(extension);
}

/**
 * A record file, something else (a folder behind a link, a device), or a
 * link that leads nowhere: that one is reported, since a capture it
 * should have pointed at would otherwise go unchecked without a word.
 */
async function classifyFile(
  entry: Dirent,
  fullPath: string,
): Promise<'file' | 'other' | { error: unknown }> {
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    return (await stat(fullPath)).isFile() ? 'file' : 'other';
  } catch (error) {
    const target = await readlink(fullPath).catch(() => '?');
    const gone = `it is a symbolic link to ${target}, which cannot be opened (${describeSystemError(error)}). Point the link at the file of records, or remove it`;
    return { error: new Error(gone, { cause: error }) };
  }
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
