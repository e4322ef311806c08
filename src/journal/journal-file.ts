import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import { unwritableJournalError } from './journal-errors.js';
import { type AppendOnlyFile } from './group-commit.js';

/**
 * Creates a file holding `firstLine` and nothing else, or replaces the one
 * at `filePath`, atomically: the text goes to a temporary file beside it,
 * is synced, and is renamed over the path, and the directory is synced so
 * the rename survives a power cut. The path never holds a half-written
 * header. Returns the new file, open for appending, and its size.
 */
export async function createFileAtomically(
  filePath: string,
  firstLine: string,
): Promise<{ handle: FileHandle; size: number }> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporaryPath = `${filePath}.${suffix}.tmp`;
  const handle = await open(temporaryPath, 'wx', 0o600);
  try {
    const bytes = Buffer.from(`${firstLine}\n`, 'utf8');
    await writeAll(handle, bytes, 0);
    await handle.datasync();
    await rename(temporaryPath, filePath);
    await syncDirectory(path.dirname(filePath));
    return { handle, size: bytes.length };
  } catch (error) {
    await handle.close();
    // The first failure is the one to report; a leftover temporary file
    // is harmless.
    await unlink(temporaryPath).catch(() => undefined);
    throw error;
  }
}

/**
 * Appends at the end of an open file, tracking the end itself so writes
 * need no O_APPEND. Failures become state.unwritable errors.
 */
export function openAppendOnlyFile(
  handle: FileHandle,
  filePath: string,
  size: number,
): AppendOnlyFile {
  let end = size;
  const asUnwritable = (error: unknown) => {
    throw unwritableJournalError(filePath, error);
  };
  return {
    async append(text) {
      const bytes = Buffer.from(text, 'utf8');
      await writeAll(handle, bytes, end).catch(asUnwritable);
      end += bytes.length;
    },
    datasync: () => handle.datasync().catch(asUnwritable),
    close: () => handle.close().catch(asUnwritable),
  };
}

/** A write may take fewer bytes than given; carry on until all are in. */
async function writeAll(
  handle: FileHandle,
  bytes: Buffer,
  position: number,
): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(
      bytes,
      offset,
      bytes.length - offset,
      position + offset,
    );
    offset += bytesWritten;
  }
}

/**
 * Makes a new directory entry durable. Windows cannot open a directory
 * for syncing, and NTFS journals its metadata anyway.
 */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
