import type { SourceRow } from './lead-source.js';

export type DisposeRow = (
  row: SourceRow,
  reason: string,
  detail: string,
) => Promise<void>;

/**
 * Server answers arrive in a callback that cannot wait; their rejects are
 * written one after another through this chain, awaited before the file
 * closes. A write error surfaces from settled().
 */
export class RejectChain {
  #tail = Promise.resolve();
  readonly #disposeRow: DisposeRow;

  constructor(disposeRow: DisposeRow) {
    this.#disposeRow = disposeRow;
  }

  add(row: SourceRow, reason: string, detail: string): void {
    this.#tail = this.#tail.then(() => this.#disposeRow(row, reason, detail));
    this.#tail.catch(() => {});
  }

  settled(): Promise<void> {
    return this.#tail;
  }
}
