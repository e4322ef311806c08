import { type FileHandle } from 'node:fs/promises';

import { damagedJournalError } from './journal-errors.js';
import {
  parseHeader,
  parseRecord,
  UnreadableHeaderError,
  type JournalHeader,
} from './journal-format.js';
import { RecordedHistory } from './journal-history.js';

export type ReplayedJournal = {
  header: JournalHeader;
  history: RecordedHistory;
  /**
   * Bytes up to the last newline. Anything after it is a line torn by a
   * crash or power cut, cut off before appending.
   */
  completeBytes: number;
  /** Bytes in the file, torn tail included. */
  totalBytes: number;
};

/** Big enough that a million-row journal takes some 20 reads. */
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a journal from the start and applies its records in order. Memory
 * stays bounded: one chunk, the line that spans two chunks, and the row
 * states. Throws state.damaged for a header or record it cannot read.
 */
export async function replayJournal(
  handle: FileHandle,
  journalPath: string,
): Promise<ReplayedJournal> {
  let journalLine = 0;
  let header: JournalHeader | undefined;
  let history: RecordedHistory | undefined;

  const { completeBytes, totalBytes } = await forEachCompleteLine(
    handle,
    (bytes, start, end) => {
      journalLine += 1;
      if (history) {
        const record = parseRecord(bytes, start, end);
        if (!record) {
          throw damagedJournalError(
            journalPath,
            journalLine,
            'is not a record',
          );
        }
        history.apply(record);
        return;
      }
      header = readHeader(bytes.toString('utf8', start, end), journalPath);
      history = new RecordedHistory(header.createdAt);
    },
  );

  if (!header || !history) {
    throw damagedJournalError(journalPath, 1, 'is missing or incomplete');
  }
  return { header, history, completeBytes, totalBytes };
}

function readHeader(text: string, journalPath: string): JournalHeader {
  try {
    return parseHeader(text);
  } catch (error) {
    if (!(error instanceof UnreadableHeaderError)) throw error;
    throw damagedJournalError(journalPath, 1, error.message);
  }
}

/**
 * Calls `onLine` with each newline-terminated line as `bytes[start, end)`.
 * A final line without a newline is left out. The bytes are only valid
 * during the call: the chunk buffer is reused.
 */
async function forEachCompleteLine(
  handle: FileHandle,
  onLine: (bytes: Buffer, start: number, end: number) => void,
): Promise<{ completeBytes: number; totalBytes: number }> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** The start of a line that continues in the next chunk, copied out. */
  let carried: Buffer[] = [];
  let position = 0;
  let completeBytes = 0;

  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);

    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      if (carried.length > 0) {
        const line = Buffer.concat([
          ...carried,
          chunk.subarray(start, newline),
        ]);
        carried = [];
        onLine(line, 0, line.length);
      } else {
        onLine(chunk, start, newline);
      }
      completeBytes = position + newline + 1;
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < bytesRead) carried.push(Buffer.from(chunk.subarray(start)));
    position += bytesRead;
  }
  return { completeBytes, totalBytes: position };
}
