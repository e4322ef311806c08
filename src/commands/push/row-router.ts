import type { JournalHistory } from '../../journal/push-journal.js';
import { DuplicateIndex } from '../../leads/duplicate-index.js';
import type { Lead } from '../../leads/row-to-lead.js';
import type { SourceRow } from './lead-source.js';
import type { DuplicatePolicy } from './settings.js';

/** What becomes of one row that converted to a lead. */
export type RowDecision =
  | { action: 'send' }
  /** Delivered by an earlier run of the same file: counted, not sent. */
  | { action: 'alreadyDelivered' }
  /** Repeats `firstLine`: counted and reported, not sent. */
  | { action: 'skipDuplicate'; firstLine: number }
  | { action: 'reject'; reason: string; detail: string };

export interface RowRouterOptions {
  duplicates: DuplicatePolicy;
  resendUncertain: boolean;
  /** What earlier runs of this file recorded, if any. */
  history: JournalHistory | undefined;
  /** Rows in the file, when counted, to size the duplicate index. */
  expectedRows: number | undefined;
}

/**
 * A rejects file lists uncertain rows too: pushing it as it is must not
 * send them again without the user saying so.
 */
const UNCERTAIN_IN_REJECTS_FILE =
  'An earlier push sent this row without a confirmed answer: it may be stored in AstraDial already. Check there; push with --resend-uncertain to send it again.';

const EARLIER_RUN_UNCERTAIN =
  'An earlier run sent this row and stopped before AstraDial answered, so it may be stored there. Check in AstraDial; rerun with --resend-uncertain to send it again.';

/**
 * Decides, for each row that became a lead, whether it is sent: the same
 * lead twice in one file (same E.164 number and event date) is found first,
 * then what earlier runs recorded for the row (in the journal, or as the
 * reason column of a rejects file being pushed) decides. Every row is fed to
 * the duplicate index, also rows that are not sent now, so a repeat of a
 * row delivered yesterday is still recognised today.
 */
export class RowRouter {
  readonly #options: RowRouterOptions;
  readonly #index: DuplicateIndex;

  constructor(options: RowRouterOptions) {
    this.#options = options;
    this.#index = new DuplicateIndex(options.expectedRows);
  }

  decide(row: SourceRow, lead: Lead): RowDecision {
    const firstLine = this.#index.firstLineOf(
      lead.phone_number!,
      lead.event_date,
      row.line,
    );
    if (firstLine !== undefined) {
      const duplicate = this.#decideDuplicate(firstLine);
      if (duplicate) return duplicate;
    }
    const isUncertainBefore = row.earlierReason === 'uncertain';
    if (isUncertainBefore && !this.#options.resendUncertain) {
      return {
        action: 'reject',
        reason: 'uncertain',
        detail: UNCERTAIN_IN_REJECTS_FILE,
      };
    }
    return this.#decideByHistory(row.line);
  }

  #decideDuplicate(firstLine: number): RowDecision | undefined {
    switch (this.#options.duplicates) {
      case 'send':
        return undefined;
      case 'skip':
        return { action: 'skipDuplicate', firstLine };
      case 'reject':
        return {
          action: 'reject',
          reason: 'duplicate',
          detail: `Same phone number and event date as line ${firstLine}. Delete one of them, or push with --duplicates send if both are meant.`,
        };
    }
  }

  #decideByHistory(line: number): RowDecision {
    const { history, resendUncertain } = this.#options;
    switch (history?.stateOf(line)) {
      case 'delivered':
        return { action: 'alreadyDelivered' };
      case 'rejected': {
        const rejection = history!.rejectionOf(line)!;
        return {
          action: 'reject',
          reason: rejection.reason,
          detail: `${rejection.detail} (answered in an earlier run)`,
        };
      }
      case 'sending':
      case 'uncertain': {
        if (resendUncertain) return { action: 'send' };
        const detail = history!.uncertainDetailOf(line);
        return {
          action: 'reject',
          reason: 'uncertain',
          detail: detail
            ? `${detail} (in an earlier run) Check in AstraDial; rerun with --resend-uncertain to send it again.`
            : EARLIER_RUN_UNCERTAIN,
        };
      }
      default:
        return { action: 'send' };
    }
  }
}
