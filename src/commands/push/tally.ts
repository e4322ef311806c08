/** Most duplicate pairs kept for the report; the count covers them all. */
const MAX_DUPLICATE_EXAMPLES = 20;

/**
 * Counts of what happened to the rows of one push. Every data row ends in
 * exactly one of: delivered now, delivered by an earlier run, a skipped
 * duplicate, rejected (in the rejects file, by reason), or left for the
 * next run of the same command (only when a journal is kept).
 */
export class PushTally {
  rows = 0;
  delivered = 0;
  /** Rows that passed every check in a dry run. */
  ready = 0;
  blankLines = 0;
  alreadyDelivered = 0;
  duplicatesSkipped = 0;
  readonly duplicateExamples: Array<{ line: number; sameAsLine: number }> = [];
  /** Rows in the rejects file, by reason. */
  readonly reasons = new Map<string, number>();
  /** Rows a rerun sends, by reason (not_sent, server_error...). */
  readonly leftReasons = new Map<string, number>();

  get rejected(): number {
    return sum(this.reasons);
  }

  get left(): number {
    return sum(this.leftReasons);
  }

  /** Rows with a final answer for this run, for progress. */
  get done(): number {
    return (
      this.delivered +
      this.ready +
      this.alreadyDelivered +
      this.duplicatesSkipped +
      this.rejected +
      this.left
    );
  }

  reject(reason: string): void {
    increment(this.reasons, reason);
  }

  leave(reason: string): void {
    increment(this.leftReasons, reason);
  }

  skipDuplicate(line: number, sameAsLine: number): void {
    this.duplicatesSkipped += 1;
    if (this.duplicateExamples.length < MAX_DUPLICATE_EXAMPLES) {
      this.duplicateExamples.push({ line, sameAsLine });
    }
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}
