import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
const GROUP_OR_OTHERS_READ = 0o044;

/**
 * Readies a capture file that already existed for more lines, returning
 * what the user should hear about it. A last line cut short (listen or the
 * machine crashed mid-write) gets its line end first, so the next record
 * starts a line of its own. A file others may read keeps its mode, since
 * it is the user's, but they are told: it holds every event's headers and
 * body. `handle` must be open for reading and appending.
 */
export async function prepareExistingCapture(
  handle: FileHandle,
  path: string,
): Promise<string[]> {
  const stats = await handle.stat();
  const { size, mode } = stats;
  const warnings: string[] = [];
  // A device such as /dev/stdout has neither lines nor a mode of its own.
  if (!stats.isFile()) return warnings;
  if ((mode & GROUP_OR_OTHERS_READ) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    warnings.push(
      `The capture file ${path} can be read by other users of this machine (mode ${octal}), and it holds every event's headers and body. Run chmod 600 ${path} unless they should read it.`,
    );
  }
  if (size > 0 && !(await endsWithNewline(handle, size))) {
    await handle.write('\n');
    warnings.push(
      `The capture file ${path} ended in a cut-off line (from an interrupted run?); listen ended that line so new records start on their own.`,
    );
  }
  return warnings;
}

async function endsWithNewline(
  handle: FileHandle,
  size: number,
): Promise<boolean> {
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === NEWLINE;
}
