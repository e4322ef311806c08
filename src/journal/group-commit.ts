/** The file a GroupCommitLog appends to. */
export interface AppendOnlyFile {
  /** Writes text after everything written before. */
  append(text: string): Promise<void>;
  /** Makes everything written so far durable (fdatasync). */
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/** How long a buffered line may wait for a durable batch to carry it. */
export const BUFFERED_WRITE_DELAY_MS = 100;

export interface GroupCommitOptions {
  /**
   * A durable batch starts at least this long after the previous one
   * started, so that lines arriving faster than that share fewer syncs.
   * Lines arriving more slowly are not delayed. Default 0.
   */
  minSyncIntervalMs?: number;
}

type Batch = {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * Appends lines to a file in call order, with group commit. A durable line
 * waits for a write and an fdatasync, which take milliseconds, so every
 * durable line queued while one batch is on its way to disk joins the next
 * batch: many concurrent callers share one write and one sync. Buffered
 * lines need no sync; they ride along with the next batch, or a timer
 * writes them.
 *
 * After a write or sync fails, every waiting and later durable append
 * rejects with that error, buffered lines are dropped, and close() rejects
 * with it too, so the failure cannot go unnoticed.
 */
export class GroupCommitLog {
  #file: AppendOnlyFile;
  #minSyncIntervalMs: number;
  /** When the latest durable batch started, in `performance.now()` ms. */
  #lastBatchAt = Number.NEGATIVE_INFINITY;
  /** Lines not yet handed to a write, in call order. */
  #pending: string[] = [];
  /** The batch that durable lines in `#pending` wait for. */
  #nextBatch: Batch | undefined;
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** True when buffered lines should be written without waiting longer. */
  #isWriteDue = false;
  #error: unknown;
  #closing: Promise<void> | undefined;

  constructor(file: AppendOnlyFile, options: GroupCommitOptions = {}) {
    this.#file = file;
    this.#minSyncIntervalMs = options.minSyncIntervalMs ?? 0;
  }

  /** Queues a line; resolves once it is written and synced. */
  appendDurably(line: string): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#closing) return Promise.reject(closedError());
    this.#pending.push(line);
    this.#nextBatch ??= createBatch();
    this.#startWriting();
    return this.#nextBatch.promise;
  }

  /** Queues a line to go with the next batch, or within 100 ms. */
  append(line: string): void {
    if (!this.#enqueue(line)) return;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#writeQueuedLines();
    }, BUFFERED_WRITE_DELAY_MS).unref();
  }

  /**
   * Queues a line to be written with the lines queued so far, at once
   * rather than within 100 ms, without waiting for a sync.
   */
  appendPromptly(line: string): void {
    if (this.#enqueue(line)) this.#writeQueuedLines();
  }

  /** Writes every queued line, syncs and closes the file. */
  close(): Promise<void> {
    this.#closing ??= this.#closeFile();
    return this.#closing;
  }

  /** Queues a buffered line; false once a failure drops them all. */
  #enqueue(line: string): boolean {
    if (this.#closing) throw closedError();
    if (this.#error !== undefined) return false;
    this.#pending.push(line);
    return true;
  }

  /** Starts a write of every queued line, durable or not. */
  #writeQueuedLines(): void {
    this.#isWriteDue = true;
    this.#startWriting();
  }

  async #closeFile(): Promise<void> {
    this.#writeQueuedLines();
    await this.#writing;
    clearTimeout(this.#timer);

    if (this.#error === undefined) {
      await this.#attempt(() => this.#file.datasync());
    }
    await this.#attempt(() => this.#file.close());
    if (this.#error !== undefined) throw this.#error;
  }

  #startWriting(): void {
    this.#writing ??= this.#writeBatches();
  }

  async #writeBatches(): Promise<void> {
    // Calls made in the same turn of the event loop join the first batch.
    await Promise.resolve();
    while (this.#error === undefined && this.#hasWorkDue()) {
      await this.#waitForSyncInterval();
      await this.#writeBatch();
    }
    this.#writing = undefined;
  }

  #hasWorkDue(): boolean {
    return (
      this.#nextBatch !== undefined ||
      (this.#isWriteDue && this.#pending.length > 0)
    );
  }

  /** Lets more durable lines join the batch, unless the file is closing. */
  async #waitForSyncInterval(): Promise<void> {
    if (!this.#nextBatch || this.#closing) return;
    const waitMs =
      this.#lastBatchAt + this.#minSyncIntervalMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
  }

  async #writeBatch(): Promise<void> {
    const lines = this.#pending;
    const batch = this.#nextBatch;
    if (batch) this.#lastBatchAt = performance.now();
    this.#pending = [];
    this.#nextBatch = undefined;
    this.#isWriteDue = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;

    try {
      await this.#file.append(`${lines.join('\n')}\n`);
      if (batch) await this.#file.datasync();
      batch?.resolve();
    } catch (error) {
      this.#fail(error);
      batch?.reject(error);
    }
  }

  #fail(error: unknown): void {
    this.#error = error;
    this.#pending = [];
    this.#nextBatch?.reject(error);
    this.#nextBatch = undefined;
  }

  async #attempt(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.#error ??= error;
    }
  }
}

function createBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((resolvePromise, rejectPromise) => {
    resolve = resolvePromise;
    reject = rejectPromise;
  });
  return { promise, resolve, reject };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function closedError(): Error {
  return new Error('The push journal is already closed.');
}
