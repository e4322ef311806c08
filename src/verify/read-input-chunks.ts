import { readChunks } from '../csv/read-chunks.js';
import { AstradialError, EXIT_CODES } from '../errors.js';
import { describeSystemError } from '../system-error.js';
import type { VerifyInput } from './resolve-inputs.js';

/**
 * The bytes of an input, chunk by chunk. Failing to open or read it (a
 * file deleted since it was named, no permission, a folder) becomes a
 * `verify.inputUnreadable` error naming the input, which the caller
 * reports for that input before going on with the next. Stopping early
 * closes the stream.
 */
export async function* readInputChunks(
  input: VerifyInput,
): AsyncGenerator<Buffer, void, undefined> {
  let chunks: AsyncGenerator<Buffer, void, undefined>;
  try {
    chunks = readChunks(input.open());
  } catch (error) {
    throw toUnreadableError(input.name, error);
  }
  try {
    for (;;) {
      const step = await chunks.next().catch((error: unknown) => {
        throw toUnreadableError(input.name, error);
      });
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await chunks.return(undefined);
  }
}

function toUnreadableError(name: string, error: unknown): AstradialError {
  const shownName = name === '-' ? 'standard input' : name;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new AstradialError(
    'verify.inputUnreadable',
    `Cannot read ${shownName}: ${describeSystemError(error)}. ${adviceFor(code)}`,
    EXIT_CODES.usage,
    { cause: error },
  );
}

function adviceFor(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'It was there when verify started; check whether something moved or deleted it.';
    case 'EACCES':
    case 'EPERM':
      return 'Check its permissions, or run as a user who may read it.';
    case 'EISDIR':
      return 'It is a folder, not a file of records.';
    default:
      return 'Check that it is a file you can read.';
  }
}
