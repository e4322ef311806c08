import { rename, rm, writeFile } from 'node:fs/promises';

import { UsageError } from '../../errors.js';
import { describeFsError } from '../../receiver/capture-file.js';
import type { BoundAddress } from '../../webhook/bind-server.js';

/**
 * Writes the bound address as JSON (`{"host","port","url"}`) to a temporary
 * file beside `path` and renames it into place, so a script polling for
 * the file never reads half of it.
 */
export async function writeReadyFile(
  path: string,
  address: BoundAddress,
): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(address)}\n`);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(
      'listen.readyFileUnwritable',
      `Could not write the ready file ${path}: ${describeFsError(error)}. Create its folder or make it writable, or pass another --ready-file path; listen stopped without serving.`,
      { cause: error },
    );
  }
}

/**
 * Removes the ready file when listen stops, so that a script waiting for
 * it on the next run does not read this run's port.
 */
export async function removeReadyFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
