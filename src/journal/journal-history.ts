import { type JournalRecord } from './journal-format.js';

/**
 * A row's state after the records of earlier runs. 'sending' means the
 * last record was S: the process stopped with the request in flight, so
 * the caller reports the row as uncertain.
 */
export type RowState =
  'sending' | 'delivered' | 'rejected' | 'uncertain' | 'retry';

/** What earlier runs recorded in a journal. */
export interface JournalHistory {
  /** When the journal was started, as an ISO string. */
  createdAt: string;
  stateOf(line: number): RowState | undefined;
  /** Why the server rejected the row, when its state is 'rejected'. */
  rejectionOf(line: number): { reason: string; detail: string } | undefined;
  /** What went wrong, when the row's state is 'uncertain'. */
  uncertainDetailOf(line: number): string | undefined;
  /** `uncertain` counts the rows in state 'sending' and 'uncertain'. */
  counts(): {
    delivered: number;
    rejected: number;
    uncertain: number;
    retry: number;
  };
}

/** Index 0 stands for "no record", so a fresh array means no state. */
const STATES: readonly (RowState | undefined)[] = [
  undefined,
  'sending',
  'delivered',
  'rejected',
  'uncertain',
  'retry',
];
const CODE_OF_OP: Record<JournalRecord['op'], number> = {
  S: 1,
  D: 2,
  R: 3,
  U: 4,
  N: 5,
};
const REJECTED = CODE_OF_OP.R;
const UNCERTAIN = CODE_OF_OP.U;

/**
 * Row states built by applying records in file order, the last record for
 * a line winning. States take one byte per input line, so a million-row
 * push costs a megabyte; only the rare R and U details go in maps.
 */
export class RecordedHistory implements JournalHistory {
  readonly createdAt: string;
  #states = new Uint8Array(1024);
  /** Rows per state code, kept up to date so counts() costs nothing. */
  #tally = new Array<number>(STATES.length).fill(0);
  #rejections = new Map<number, { reason: string; detail: string }>();
  #uncertainDetails = new Map<number, string>();

  constructor(createdAt: string) {
    this.createdAt = createdAt;
  }

  apply(record: JournalRecord): void {
    const { line } = record;
    if (line >= this.#states.length) this.#grow(line);
    const previous = this.#states[line]!;
    const next = CODE_OF_OP[record.op];
    this.#states[line] = next;
    if (previous !== 0) this.#tally[previous]! -= 1;
    this.#tally[next]! += 1;

    if (previous === REJECTED) this.#rejections.delete(line);
    if (previous === UNCERTAIN) this.#uncertainDetails.delete(line);
    if (record.op === 'R') {
      this.#rejections.set(line, {
        reason: record.reason,
        detail: record.detail,
      });
    }
    if (record.op === 'U') this.#uncertainDetails.set(line, record.detail);
  }

  stateOf(line: number): RowState | undefined {
    return STATES[this.#states[line] ?? 0];
  }

  rejectionOf(line: number): { reason: string; detail: string } | undefined {
    return this.#rejections.get(line);
  }

  uncertainDetailOf(line: number): string | undefined {
    return this.#uncertainDetails.get(line);
  }

  counts(): ReturnType<JournalHistory['counts']> {
    const count = (op: JournalRecord['op']) => this.#tally[CODE_OF_OP[op]]!;
    return {
      delivered: count('D'),
      rejected: count('R'),
      uncertain: count('S') + count('U'),
      retry: count('N'),
    };
  }

  #grow(line: number): void {
    let length = this.#states.length * 2;
    while (line >= length) length *= 2;
    const larger = new Uint8Array(length);
    larger.set(this.#states);
    this.#states = larger;
  }
}
