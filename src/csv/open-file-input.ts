import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

import { UsageError } from '../errors.js';
import { assertNotWorkbook } from './assert-not-workbook.js';
import { type CsvEncoding } from './csv-encoding.js';
import { LineCounter } from './decode-chunks.js';
import { detectEncoding } from './detect-encoding.js';
import { openStreamInput } from './open-stream-input.js';
import { readChunks, type ByteSource } from './read-chunks.js';
import { Utf8Validator, type Utf8Problem } from './utf8-validator.js';

const HEAD_BYTES = 4096;
/**
 * Half the 64 KiB default. Each chunk is parsed into records at once, and
 * records that wait long enough to be consumed get promoted to the old
 * heap: 256 KiB chunks took a 1,000,000-row dry run to 200 MB of memory,
 * 32 KiB keeps it near 120 MB at the same speed (npm run bench).
 */
const CHUNK_BYTES = 32 * 1024;
const CHECK_CHUNK_BYTES = 1024 * 1024;

/**
 * Opens a CSV file and settles its encoding. Whether the file is UTF-8 is
 * decided over the whole file up front (20-40 ms for 66 MB once cached),
 * so a Windows-1252 byte on the last line is not found after rows were sent.
 * A path that is not a regular file, such as /dev/stdin or a named pipe,
 * cannot be read twice and is read like a stream instead.
 */
export async function openFileInput(
  path: string,
  forced: CsvEncoding | undefined,
): Promise<ByteSource> {
  const isRegularFile = await checkIsRegularFile(path);
  if (!isRegularFile) {
    return openStreamInput(createReadStream(path), forced, path);
  }

  const head = await readHead(path);
  assertNotWorkbook(head, path);

  const { encoding, startOffset } = await detectEncoding({
    head,
    forced,
    sourceName: path,
    findUtf8Problem: (start) => findUtf8Problem(path, start),
    lineAt: (offset) => countLinesBefore(path, offset),
  });

  const stream = createReadStream(path, {
    start: startOffset,
    highWaterMark: CHUNK_BYTES,
  });
  return { encoding, startOffset, chunks: readChunks(stream) };
}

async function checkIsRegularFile(path: string): Promise<boolean> {
  const stats = await stat(path).catch((error: unknown) => {
    throw toUnreadableError(path, error);
  });
  if (stats.isDirectory()) {
    throw new UsageError(
      'input.unreadable',
      `Cannot read ${path}: it is a folder. Pass the CSV file inside it.`,
    );
  }
  return stats.isFile();
}

async function readHead(path: string): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
      return head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toUnreadableError(path, error);
  }
}

function toUnreadableError(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file. Check the path, or pass - to read standard input.'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied. Check the file permissions.'
        : `${(error as Error).message}.`;
  const errorCode = code === 'ENOENT' ? 'input.notFound' : 'input.unreadable';
  return new UsageError(errorCode, `Cannot read ${path}: ${reason}`, {
    cause: error,
  });
}

async function findUtf8Problem(
  path: string,
  start: number,
): Promise<Utf8Problem | undefined> {
  const validator = new Utf8Validator();
  const stream = createReadStream(path, {
    start,
    highWaterMark: CHECK_CHUNK_BYTES,
  });
  for await (const chunk of readChunks(stream)) {
    const result = validator.take(chunk);
    if ('problem' in result) return shift(result.problem, start);
  }
  const problem = validator.finish();
  return problem && shift(problem, start);
}

function shift(problem: Utf8Problem, start: number): Utf8Problem {
  return { ...problem, offset: problem.offset + start };
}

/** Only runs to word an error, so reading the file again is fine. */
async function countLinesBefore(path: string, offset: number): Promise<number> {
  const lines = new LineCounter();
  if (offset === 0) return lines.current();
  const stream = createReadStream(path, {
    end: offset - 1,
    highWaterMark: CHECK_CHUNK_BYTES,
  });
  for await (const chunk of readChunks(stream)) lines.add(chunk);
  return lines.current();
}
