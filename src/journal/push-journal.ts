import { open, utimes, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import { UsageError } from '../errors.js';
import { isSystemError } from '../system-error.js';
import { GroupCommitLog } from './group-commit.js';
import {
  inputChangedError,
  otherTargetError,
  unwritableJournalError,
} from './journal-errors.js';
import { createFileAtomically, openAppendOnlyFile } from './journal-file.js';
import { lockJournal } from './journal-lock.js';
import { verifyJournalPath } from './journal-path.js';
import {
  encodeHeader,
  encodeRecord,
  JOURNAL_KIND,
  JOURNAL_VERSION,
} from './journal-format.js';
import { type JournalHistory } from './journal-history.js';
import { replayJournal, type ReplayedJournal } from './replay-journal.js';

export { fingerprintFile } from './fingerprint.js';
export type { JournalHistory, RowState } from './journal-history.js';

/**
 * At most one disk sync starts in this many ms. At the platform's 60 rows
 * a second every row still gets its own sync at once. Unpaced, against the
 * local sandbox (`npm run bench -- journal-cost`), a push starts 15-20
 * rows a millisecond: with no interval each sync carried about 45 rows
 * and the journal added about 0.5 s of kernel time per 200,000 rows; with
 * 4 ms, 65-80 rows and 0.1 s. At 16 ms the connections went idle: the
 * delivery queue journals at most 256 rows ahead of them.
 */
const SYNC_INTERVAL_MS = 4;

/** What a journal belongs to: one input file pushed to one target. */
export type JournalIdentity = {
  inputPath: string;
  size: number;
  sha256: string;
  target: string;
};

/**
 * Records, per input line, how far its request got, so that a rerun after
 * Ctrl-C, a crash or a power cut skips delivered rows and reports the ones
 * that were in flight. Only S records are waited for; the others are
 * buffered, because losing one merely makes its row look uncertain.
 */
export class PushJournal {
  readonly path: string;
  #log: GroupCommitLog;
  #unlock: () => Promise<void> = () => Promise.resolve();

  constructor(journalPath: string, log: GroupCommitLog) {
    this.path = journalPath;
    this.#log = log;
  }

  /** Called once by openJournal with the release of its lock. */
  holdLock(unlock: () => Promise<void>): void {
    this.#unlock = unlock;
  }

  /**
   * Records that the row's request is about to be sent. Resolves once the
   * record is on disk; send only then. Rejects with state.unwritable when
   * the journal cannot be written.
   */
  markSending(line: number): Promise<void> {
    return this.#log.appendDurably(encodeRecord({ op: 'S', line }));
  }

  recordDelivered(line: number): void {
    this.#log.append(encodeRecord({ op: 'D', line }));
  }

  /** The server refused the row for good; it is not to be sent again. */
  recordRejected(line: number, reason: string, detail: string): void {
    this.#log.append(encodeRecord({ op: 'R', line, reason, detail }));
  }

  /** The request was written but no answer came: the server may have it. */
  recordUncertain(line: number, detail: string): void {
    this.#log.append(encodeRecord({ op: 'U', line, detail }));
  }

  /**
   * The server certainly did not store the row; it may be sent again.
   * Written at once: a stop turns every row that passed markSending but
   * was never written into one of these, and a second Ctrl-C soon after
   * must not leave those rows looking uncertain.
   */
  recordRetry(line: number): void {
    this.#log.appendPromptly(encodeRecord({ op: 'N', line }));
  }

  /**
   * Writes every buffered record, syncs and closes the file, and stamps
   * its modification time even when nothing was left to write: callers
   * compare it with files the run wrote before closing the journal.
   */
  async close(): Promise<void> {
    try {
      await this.#log.close();
      const now = new Date();
      await utimes(this.path, now, now).catch(() => {});
    } finally {
      await this.#unlock();
    }
  }
}

export interface OpenJournalOptions {
  /** Replace an existing journal instead of resuming from it. */
  restart: boolean;
  /**
   * The rejects file an earlier run wrote, if there is one: a user who
   * edited the input to fix rows is told to fix them there instead.
   */
  rejectsPath?: string;
}

/**
 * Opens the journal at `journalPath` for a push of the identified input,
 * creating it (mode 0600) when missing or when `restart` is set. An
 * existing journal is replayed and returned as history, after checking it
 * belongs to the same input content and target; a line torn by a crash at
 * its end is cut off. Throws UsageError state.notAFile, state.notAJournal,
 * state.inputChanged, state.otherTarget, state.damaged or
 * state.unwritable.
 */
export async function openJournal(
  journalPath: string,
  identity: JournalIdentity,
  options: OpenJournalOptions,
): Promise<{ journal: PushJournal; history: JournalHistory | undefined }> {
  // Before the lock: no lock file appears beside a device or a folder.
  await verifyJournalPath(journalPath);
  let unlock: (() => Promise<void>) | undefined;
  try {
    unlock = await lockJournal(journalPath);
    const opened = await openOrCreate(journalPath, identity, options);
    opened.journal.holdLock(unlock);
    return opened;
  } catch (error) {
    await unlock?.();
    if (error instanceof UsageError || !isSystemError(error)) throw error;
    throw unwritableJournalError(journalPath, error);
  }
}

async function openOrCreate(
  journalPath: string,
  identity: JournalIdentity,
  options: OpenJournalOptions,
): Promise<{ journal: PushJournal; history: JournalHistory | undefined }> {
  const existing = options.restart
    ? undefined
    : await openExisting(journalPath);
  if (!existing) {
    return {
      journal: await createJournal(journalPath, identity),
      history: undefined,
    };
  }
  return resumeJournal(existing, journalPath, identity, options.rejectsPath);
}

async function openExisting(
  journalPath: string,
): Promise<FileHandle | undefined> {
  try {
    return await open(journalPath, 'r+');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function createJournal(
  journalPath: string,
  identity: JournalIdentity,
): Promise<PushJournal> {
  const header = encodeHeader({
    journal: JOURNAL_KIND,
    version: JOURNAL_VERSION,
    input: {
      path: path.resolve(identity.inputPath),
      size: identity.size,
      sha256: identity.sha256,
    },
    target: identity.target,
    createdAt: new Date().toISOString(),
  });
  const { handle, size } = await createFileAtomically(journalPath, header);
  return createPushJournal(handle, journalPath, size);
}

async function resumeJournal(
  handle: FileHandle,
  journalPath: string,
  identity: JournalIdentity,
  rejectsPath: string | undefined,
): Promise<{ journal: PushJournal; history: JournalHistory }> {
  try {
    const replayed = await replayJournal(handle, journalPath);
    verifyIdentity(replayed, journalPath, identity, rejectsPath);
    if (replayed.totalBytes > replayed.completeBytes) {
      await handle.truncate(replayed.completeBytes);
    }
    return {
      journal: createPushJournal(handle, journalPath, replayed.completeBytes),
      history: replayed.history,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function createPushJournal(
  handle: FileHandle,
  journalPath: string,
  size: number,
): PushJournal {
  const file = openAppendOnlyFile(handle, journalPath, size);
  const log = new GroupCommitLog(file, { minSyncIntervalMs: SYNC_INTERVAL_MS });
  return new PushJournal(journalPath, log);
}

/**
 * Line numbers identify rows, so they only mean the same rows in the same
 * content; and delivery to one target says nothing about another.
 */
function verifyIdentity(
  { header, history }: ReplayedJournal,
  journalPath: string,
  identity: JournalIdentity,
  rejectsPath: string | undefined,
): void {
  const { input } = header;
  if (input.size !== identity.size || input.sha256 !== identity.sha256) {
    throw inputChangedError({
      inputPath: identity.inputPath,
      journalPath,
      createdAt: history.createdAt,
      delivered: history.counts().delivered,
      rejectsPath,
    });
  }
  if (header.target !== identity.target) {
    throw otherTargetError({
      journalPath,
      journalTarget: header.target,
      target: identity.target,
    });
  }
}
