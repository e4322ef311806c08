/**
 * Gathers the lines written during one turn of the event loop and hands
 * them on as one text when the turn ends. Under load a turn answers many
 * requests, and stdout to a file or a terminal is written synchronously:
 * one write per line was a twentieth of listen's time in
 * `npm run bench -- listen`. `flush` writes what is waiting at once.
 */
export class LineBatch {
  readonly #write: (text: string) => void;
  #lines: string[] = [];
  #scheduled: NodeJS.Immediate | undefined;

  /** `write` gets the lines joined by line breaks, without a final one. */
  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  add(line: string): void {
    this.#lines.push(line);
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('\n');
    this.#lines = [];
    this.#write(text);
  }
}
