import type {
  RecordVerdict,
  Reporter,
  VerifySummary,
} from '../verify-result.js';
import type { WriteReport } from './reporter-options.js';

/**
 * NDJSON, like the other commands' --json: one `{"type": ...}` object per
 * line for each invalid or skipped record and each unreadable file, then
 * the summary. Valid records are left out: a run over a million captured
 * events would otherwise print a million lines that say nothing.
 */
export class JsonReporter implements Reporter {
  readonly #write: WriteReport;

  constructor(write: WriteReport) {
    this.#write = write;
  }

  record(verdict: RecordVerdict): void {
    if (verdict.outcome === 'valid') return;
    this.#writeLine({
      type: 'record',
      file: verdict.location.file,
      line: verdict.location.line,
      index: verdict.location.index,
      outcome: verdict.outcome,
      kind: verdict.kind,
      matchesNoKind: verdict.matchesNoKind,
      problems: verdict.problems.map(({ path, expected, found }) => ({
        path,
        expected,
        found,
      })),
      note: verdict.note,
      isCapture: verdict.isCapture,
    });
  }

  fileFailed(file: string, message: string): void {
    this.#writeLine({ type: 'fileFailed', file, message });
  }

  finish(summary: VerifySummary): void {
    this.#writeLine({ type: 'summary', ...summary });
  }

  /** JSON.stringify drops the undefined fields (`index`, `kind`, `note`). */
  #writeLine(line: Record<string, unknown>): void {
    this.#write(`${JSON.stringify(line)}\n`);
  }
}
