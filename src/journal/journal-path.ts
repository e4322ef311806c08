import { type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

import { UsageError } from '../errors.js';
import { unwritableJournalError } from './journal-errors.js';
import { isSystemError } from '../system-error.js';
import { JOURNAL_SIGNATURE } from './journal-format.js';

/** Enough of a file to show what it starts with. */
const PEEK_BYTES = 256;
const SHOWN_CHARACTERS = 60;

/**
 * A journal path must name nothing yet, or a journal an earlier push
 * wrote. Anything else would be read as a journal, or, with --restart,
 * replaced by one: a device never ends (`/dev/full`) or swallows the
 * records (`/dev/null`), and a CSV given by mistake would be overwritten.
 * Throws UsageError state.notAFile or state.notAJournal, or
 * state.unwritable when the file cannot be read.
 */
export async function verifyJournalPath(journalPath: string): Promise<void> {
  try {
    const existing = await statIfExists(journalPath);
    if (!existing) return;
    if (!existing.isFile()) throw notAFileError(journalPath, existing);
    const start = await readStart(journalPath);
    if (!start.startsWith(JOURNAL_SIGNATURE)) {
      throw notAJournalError(journalPath, start);
    }
  } catch (error) {
    if (error instanceof UsageError || !isSystemError(error)) throw error;
    throw unwritableJournalError(journalPath, error);
  }
}

async function statIfExists(filePath: string): Promise<Stats | undefined> {
  try {
    return await stat(filePath);
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the first bytes, whatever the size says: files such as
 * /proc/version report 0 bytes and still hold text.
 */
async function readStart(filePath: string): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

function notAFileError(journalPath: string, existing: Stats): UsageError {
  return new UsageError(
    'state.notAFile',
    `The state path ${journalPath} is ${describeKind(existing)}, not a file: push keeps its journal in a file there. Give --state the path of a new file (or of a journal an earlier push wrote), or --no-state to keep no journal.`,
  );
}

function notAJournalError(journalPath: string, start: string): UsageError {
  return new UsageError(
    'state.notAJournal',
    `${journalPath} is not a push journal (${describeStart(start)}). --state names the file where push keeps its journal of what was sent, and push must neither read another file as one nor replace it. Give --state another path: a file that does not exist yet, or the journal an earlier push wrote.`,
  );
}

/** `it starts with "customer_name,phone_number"`, escaped, one line. */
function describeStart(start: string): string {
  if (start === '') return 'it is empty';
  const firstLine = start.split(/\r?\n/, 1)[0]!;
  const shown =
    firstLine.length > SHOWN_CHARACTERS
      ? `${firstLine.slice(0, SHOWN_CHARACTERS)}…`
      : firstLine;
  return `it starts with ${JSON.stringify(shown)}`;
}

function describeKind(existing: Stats): string {
  if (existing.isDirectory()) return 'a folder';
  if (existing.isCharacterDevice() || existing.isBlockDevice()) {
    return 'a device';
  }
  if (existing.isFIFO()) return 'a named pipe';
  if (existing.isSocket()) return 'a socket';
  return 'a special file';
}
