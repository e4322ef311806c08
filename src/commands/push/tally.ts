/**
 * Counts of what happened to the rows of one push. Every data row ends in
 * exactly one of delivered or rejected (rejected includes rows that failed
 * at the server and rows not sent because the run stopped).
 */
export class PushTally {
  rows = 0;
  delivered = 0;
  /** Rows that passed every check in a dry run. */
  ready = 0;
  blankLines = 0;
  readonly reasons = new Map<string, number>();

  get rejected(): number {
    let total = 0;
    for (const count of this.reasons.values()) total += count;
    return total;
  }

  reject(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }
}
