import { open, type FileHandle } from 'node:fs/promises';

import { AstradialError, EXIT_CODES } from '../errors.js';

type PendingLine = {
  text: string;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * The append-only NDJSON file of `--capture`. `append` resolves once the
 * line's write has completed (not fsync'd), which is what listen waits for
 * before it answers 200. Lines that arrive while a write is in progress go
 * out together in the next write, so a burst costs one write per batch and
 * lines keep their order.
 */
export class CaptureFile {
  readonly path: string;
  readonly #handle: FileHandle;
  #pending: PendingLine[] = [];
  #writing: Promise<void> | undefined;
  #failure: AstradialError | undefined;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Opens (or creates, readable by its owner only) the file for appending. */
  static async open(path: string): Promise<CaptureFile> {
    try {
      return new CaptureFile(path, await open(path, 'a', 0o600));
    } catch (error) {
      throw new AstradialError(
        'listen.captureUnopenable',
        `Could not open the capture file ${path}: ${describeFsError(error)}. Check that its folder exists and is writable, or pass another --capture path.`,
        EXIT_CODES.usage,
        { cause: error },
      );
    }
  }

  /** Why writing failed, once it has; every later append fails the same. */
  get failure(): AstradialError | undefined {
    return this.#failure;
  }

  append(line: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending.push({ text: `${line}\n`, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /** Waits for every appended line, then closes the file. */
  async close(): Promise<void> {
    await this.#writing;
    await this.#handle.close();
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        await this.#handle.write(batch.map((line) => line.text).join(''));
        for (const line of batch) line.resolve();
      } catch (error) {
        this.#failure ??= captureFailed(this.path, error);
        for (const line of [...batch, ...this.#pending]) {
          line.reject(this.#failure);
        }
        this.#pending = [];
      }
    }
    this.#writing = undefined;
  }
}

function captureFailed(path: string, error: unknown): AstradialError {
  return new AstradialError(
    'listen.captureFailed',
    `Could not write to the capture file ${path}: ${describeFsError(error)}. Events from then on were answered 500 so that the sender retries; free space or fix the file, then start listen again.`,
    EXIT_CODES.captureFailed,
    { cause: error },
  );
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error instanceof Error ? error.message : String(error));
}
