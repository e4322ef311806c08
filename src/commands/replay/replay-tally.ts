import { EXIT_CODES, type ExitCode } from '../../errors.js';
import type { ForwardOutcome } from '../../forward/forward-outcome.js';
import { isAccepted } from '../../send/sent-event.js';

/** What a replay did with each line of the capture. */
export type ReplayCounts = {
  /** Events picked to send: listen answered them 200, the filters let them in. */
  selected: number;
  /** Requests made: accepted, notAccepted and failed together. */
  sent: number;
  /** Answered 2xx. */
  accepted: number;
  /** Answered, but not 2xx. */
  notAccepted: number;
  /** No answer: refused, reset, timed out, or cut off by a second Ctrl-C. */
  failed: number;
  /** Picked, but not sent because the run was stopped first. */
  notSent: number;
  /** Events listen answered 200 that the filters left out. */
  filteredOut: number;
  /** Requests listen did not answer 200, which are not replayed. */
  refused: number;
  /** Lines changed after listen wrote them, which are never sent. */
  tampered: number;
  /** Capture lines listen did not finish writing (it was stopped). */
  unreadable: number;
};

export type ReplayOutcome = 'done' | 'interrupted';

/** The last thing a replay reports, and the last line of `--json`. */
export type ReplaySummary = {
  type: 'summary';
  outcome: ReplayOutcome;
  exitCode: ExitCode;
  dryRun: boolean;
} & ReplayCounts;

export class ReplayTally {
  readonly counts: ReplayCounts = {
    selected: 0,
    sent: 0,
    accepted: 0,
    notAccepted: 0,
    failed: 0,
    notSent: 0,
    filteredOut: 0,
    refused: 0,
    tampered: 0,
    unreadable: 0,
  };

  addSent(outcome: ForwardOutcome): void {
    this.counts.sent += 1;
    if (isAccepted(outcome)) this.counts.accepted += 1;
    else if (outcome.outcome === 'ok' || outcome.outcome === 'appError') {
      this.counts.notAccepted += 1;
    } else this.counts.failed += 1;
  }

  /** A picked event whose line changed between the two readings. */
  unpick(): void {
    this.counts.selected -= 1;
    this.counts.tampered += 1;
  }

  /**
   * Any line changed after capture fails the run as surely as an event
   * the receiver refused: the user asked for events that were not sent.
   */
  summarise(outcome: ReplayOutcome, isDryRun: boolean): ReplaySummary {
    const counts = { ...this.counts };
    counts.notSent = isDryRun ? 0 : counts.selected - counts.sent;
    const isClean =
      counts.tampered === 0 && counts.notAccepted === 0 && counts.failed === 0;
    const exitCode =
      outcome === 'interrupted'
        ? EXIT_CODES.interrupted
        : isClean
          ? EXIT_CODES.ok
          : EXIT_CODES.eventsNotAccepted;
    return { type: 'summary', outcome, exitCode, dryRun: isDryRun, ...counts };
  }
}
