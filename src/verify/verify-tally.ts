import { EVENT_KINDS, type EventKind } from '../contract/schemas.js';
import { EXIT_CODES, type ExitCode } from '../errors.js';
import type {
  KindCounts,
  RecordVerdict,
  VerifySummary,
} from './verify-result.js';

type KindKey = EventKind | 'none';

/** Counts verdicts as they come, for the summary and the exit code. */
export class VerifyTally {
  #byKind = Object.fromEntries(
    [...EVENT_KINDS, 'none'].map((kind) => [kind, { valid: 0, invalid: 0 }]),
  ) as Record<KindKey, KindCounts>;
  #skipped = 0;
  #uncheckedFiles = 0;

  add(verdict: RecordVerdict): void {
    if (verdict.outcome === 'skipped') {
      this.#skipped += 1;
      return;
    }
    const key: KindKey =
      verdict.kind === undefined || verdict.matchesNoKind
        ? 'none'
        : verdict.kind;
    this.#byKind[key][verdict.outcome] += 1;
  }

  fileFailed(): void {
    this.#uncheckedFiles += 1;
  }

  summarise(files: number): VerifySummary {
    const counts = Object.values(this.#byKind);
    const valid = counts.reduce((sum, kind) => sum + kind.valid, 0);
    const invalid = counts.reduce((sum, kind) => sum + kind.invalid, 0);
    return {
      files,
      uncheckedFiles: this.#uncheckedFiles,
      records: valid + invalid + this.#skipped,
      valid,
      invalid,
      skipped: this.#skipped,
      byKind: structuredClone(this.#byKind),
      exitCode: this.#exitCode(valid, invalid),
    };
  }

  /**
   * A file that could not be read, or nothing checked at all, is not a
   * pass: a CI job pointed at an empty or missing capture must fail.
   */
  #exitCode(valid: number, invalid: number): ExitCode {
    if (this.#uncheckedFiles > 0 || valid + invalid === 0) {
      return EXIT_CODES.usage;
    }
    return invalid > 0 ? EXIT_CODES.recordsInvalid : EXIT_CODES.ok;
  }
}
