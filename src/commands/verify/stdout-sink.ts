/**
 * Writes to stdout and lets a long run wait when the reader is slower
 * (a pipe to `less`, a CI log): a million problems must not pile up in
 * memory.
 */
export class StdoutSink {
  #isFull = false;

  write = (text: string): void => {
    if (!process.stdout.write(text)) this.#isFull = true;
  };

  /** Resolves once stdout has taken what was written. */
  async drained(): Promise<void> {
    if (!this.#isFull) return;
    this.#isFull = false;
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('drain', done);
        process.stdout.off('close', done);
        resolve();
      };
      process.stdout.once('drain', done);
      process.stdout.once('close', done);
    });
  }
}
