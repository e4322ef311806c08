import { createReadStream } from 'node:fs';
import path from 'node:path';

import { UsageError } from '../../errors.js';
import { statIfExists, type VerifyInput } from '../../verify/resolve-inputs.js';

/**
 * The capture file to replay, as an input readRecords can read more than
 * once. replay reads it twice, once to check every line before anything
 * is sent and once to send, so standard input and pipes, which can be
 * read only once, are refused with the way round it.
 */
export async function resolveCaptureInput(
  argument: string,
  cwd: string,
): Promise<VerifyInput> {
  if (argument.trim() === '') throw emptyArgument();
  if (argument === '-') throw notAFile('Standard input (-)');

  const absolute = path.resolve(cwd, argument);
  const stats = await statIfExists(absolute);
  if (stats === 'missing') throw noSuchCapture(argument, cwd);
  if (stats?.isDirectory()) {
    throw new UsageError(
      'replay.captureIsFolder',
      `${argument} is a folder. Name the capture file in it that listen --capture wrote.`,
    );
  }
  if (stats && !stats.isFile()) throw notAFile(argument);
  // Stats unknown (no permission on a parent folder): reading says why.
  return {
    name: argument,
    open: () => createReadStream(absolute),
    size: stats?.size,
  };
}

function emptyArgument(): UsageError {
  return new UsageError(
    'replay.noSuchCapture',
    'The capture path is empty (an unset shell variable?). Give the file listen --capture wrote.',
  );
}

function noSuchCapture(argument: string, cwd: string): UsageError {
  const where = path.isAbsolute(argument) ? '' : ` (looked in ${cwd})`;
  return new UsageError(
    'replay.noSuchCapture',
    `No file named ${argument}${where}. Give the file astradial listen --capture wrote.`,
  );
}

function notAFile(name: string): UsageError {
  return new UsageError(
    'replay.captureNotAFile',
    `${name} is not a regular file. replay reads the capture twice, once to check every line before anything is sent and once to send, and a pipe can be read only once. Save it to a file first, then replay that file.`,
  );
}
