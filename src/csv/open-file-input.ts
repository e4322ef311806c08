import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

import { UsageError } from '../errors.js';
import { assertNotWorkbook } from './assert-not-workbook.js';
import { type CsvEncoding } from './csv-encoding.js';
import { LineCounter } from './decode-chunks.js';
import { detectEncoding } from './detect-encoding.js';
import { readChunks, type ByteSource } from './read-chunks.js';
import { Utf8Validator, type Utf8Problem } from './utf8-validator.js';

const HEAD_BYTES = 4096;
/** Bigger than the 64 KiB default: fewer chunks, less per-chunk overhead. */
const CHUNK_BYTES = 256 * 1024;
const CHECK_CHUNK_BYTES = 1024 * 1024;

/**
 * Opens a CSV file and settles its encoding. Whether the file is UTF-8 is
 * decided over the whole file up front (about 10 ms per 60 MB once cached),
 * so a Windows-1252 byte on the last line is not found after rows were sent.
 */
export async function openFileInput(
  path: string,
  forced: CsvEncoding | undefined,
): Promise<ByteSource> {
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
      : code === 'EISDIR'
        ? 'it is a folder. Pass the CSV file inside it.'
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
