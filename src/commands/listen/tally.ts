import type {
  ForwardOutcome,
  ForwardOutcomeKind,
} from '../../forward/forward-outcome.js';
import type { RequestRecord } from '../../receiver/request-record.js';

/** With --forward-to: what became of each forward, by outcome. */
export type ForwardCounts = Record<ForwardOutcomeKind, number>;

/** The counts a listen run ends with. */
export type ListenCounts = {
  /** Events answered 200 that matched --events, by kind. */
  byKind: Record<string, number>;
  valid: number;
  invalid: number;
  /** Events answered 200 whose kind --events left out. */
  filteredOut: number;
  /** Requests not answered 200, by status. */
  rejectedByStatus: Record<string, number>;
  forwarded?: ForwardCounts;
};

/** Counts every decided request as the receiver reports it. */
export class ListenTally {
  readonly counts: ListenCounts;

  constructor(isForwarding: boolean) {
    this.counts = {
      byKind: {},
      valid: 0,
      invalid: 0,
      filteredOut: 0,
      rejectedByStatus: {},
      forwarded: isForwarding
        ? { ok: 0, appError: 0, failed: 0, overQueueBound: 0, notForwarded: 0 }
        : undefined,
    };
  }

  /** Events answered 200 that matched --events: what --count waits for. */
  get matching(): number {
    return this.counts.valid + this.counts.invalid;
  }

  add(record: RequestRecord): void {
    const { counts } = this;
    if (record.status !== 200 || !record.event) {
      increment(counts.rejectedByStatus, String(record.status));
      return;
    }
    if (record.isMatching === false) {
      counts.filteredOut += 1;
      return;
    }
    increment(counts.byKind, record.event.kind);
    if (record.event.isValid) counts.valid += 1;
    else counts.invalid += 1;
  }

  addForward(forward: ForwardOutcome): void {
    if (this.counts.forwarded) this.counts.forwarded[forward.outcome] += 1;
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
