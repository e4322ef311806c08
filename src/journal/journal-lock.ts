import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';

import { UsageError } from '../errors.js';
import { isSystemError } from '../system-error.js';

type LockOwner = { pid: number; host: string; startedAt: string };

/**
 * One run at a time per journal: two runs of the same push would each send
 * the rows the other is sending. The lock is a file beside the journal,
 * created exclusively, naming the process that holds it. A lock left by a
 * process that no longer runs on this machine (kill -9, a power cut) is
 * taken over; one held on another machine (a shared folder) is respected.
 */
export async function lockJournal(
  journalPath: string,
): Promise<() => Promise<void>> {
  const lockPath = `${journalPath}.lock`;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if (!(isSystemError(error) && error.code === 'EEXIST')) throw error;
    }
    const holder = await readOwner(lockPath);
    if (holder && isRunningElsewhereOrHere(holder)) {
      throw new UsageError(
        'state.locked',
        `Another push of this file is running (process ${holder.pid} on ${holder.host}, started ${holder.startedAt}): two at once would send rows twice. Wait for it to finish or stop it. If it is surely gone, delete ${lockPath}.`,
      );
    }
    await rm(lockPath, { force: true });
  }
  throw new UsageError(
    'state.locked',
    `Could not take the lock ${lockPath}: another run keeps taking it. Wait for it to finish, then run again.`,
  );
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(lockPath, 'utf8')) as LockOwner;
    return typeof value.pid === 'number' ? value : undefined;
  } catch {
    // Unreadable or half written by a process killed while writing it.
    return undefined;
  }
}

function isRunningElsewhereOrHere(holder: LockOwner): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isSystemError(error) && error.code === 'EPERM';
  }
}
