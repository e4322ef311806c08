import { open, type FileHandle } from 'node:fs/promises';

import { AstradialError, EXIT_CODES } from '../errors.js';
import { prepareExistingCapture } from './existing-capture.js';
import { describeSystemError } from '../system-error.js';

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
  /** What the user should know about the file as found (see open). */
  readonly warnings: string[];
  readonly #handle: FileHandle;
  #pending: PendingLine[] = [];
  #writing: Promise<void> | undefined;
  #failure: AstradialError | undefined;

  private constructor(path: string, handle: FileHandle, warnings: string[]) {
    this.path = path;
    this.#handle = handle;
    this.warnings = warnings;
  }

  /**
   * Opens (or creates, readable by its owner only) the file for appending.
   * An existing file is readied first (see prepareExistingCapture).
   */
  static async open(path: string): Promise<CaptureFile> {
    try {
      const handle = await open(path, 'a+', 0o600);
      const warnings = await prepareExistingCapture(handle, path);
      return new CaptureFile(path, handle, warnings);
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

/**
 * A file system error in plain words: "the disk is full"; the rarer ones
 * as the system names them, "is a directory (EISDIR)".
 */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return describeSystemError(error);
}
