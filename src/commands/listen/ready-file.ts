import { rename, writeFile } from 'node:fs/promises';

import { UsageError } from '../../errors.js';
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
    throw new UsageError(
      'listen.readyFileUnwritable',
      `Could not write the ready file ${path}. Check that its folder exists and is writable.`,
      { cause: error },
    );
  }
}
