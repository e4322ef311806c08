import { EXIT_CODES, type ExitCode } from '../../errors.js';
import type { Output } from '../../output.js';
import type { ListenSettings } from './settings.js';
import type { ForwardCounts, ListenCounts } from './tally.js';
import type { ListenEnd } from './wait-for-end.js';

export type ListenSummary = {
  type: 'summary';
  outcome: ListenEnd['outcome'];
  exitCode: ExitCode;
} & ListenCounts;

/**
 * The exit code for how the run ended. Ctrl-C is the normal end of a
 * listening session (0), except when --count or --timeout set a goal the
 * run was stopped short of (130). --timeout alone succeeds when at least
 * one matching event came.
 */
export function exitCodeFor(
  end: ListenEnd,
  settings: ListenSettings,
  matching: number,
): ExitCode {
  switch (end.outcome) {
    case 'countReached':
      return EXIT_CODES.ok;
    case 'stopped': {
      const hasGoal =
        settings.count !== undefined || settings.timeoutMs !== undefined;
      return hasGoal ? EXIT_CODES.interrupted : EXIT_CODES.ok;
    }
    case 'timedOut':
      return settings.count === undefined && matching > 0
        ? EXIT_CODES.ok
        : EXIT_CODES.listenTimedOut;
    case 'invalidEvent':
      return EXIT_CODES.invalidEvent;
    case 'captureFailed':
      return EXIT_CODES.captureFailed;
    case 'outputClosed':
      return EXIT_CODES.interrupted;
  }
}

/** Why the run ended, when that is news to the user, on stderr. */
export function printEndReason(
  end: ListenEnd,
  settings: ListenSettings,
  output: Output,
): void {
  switch (end.outcome) {
    case 'timedOut':
      if (settings.count !== undefined) {
        output.error(
          `--timeout passed before ${settings.count} matching events arrived.`,
        );
      }
      return;
    case 'invalidEvent': {
      const { event, reason } = end.record;
      output.error(
        event
          ? `An invalid ${event.kind} event arrived (--expect-valid): ${event.problems.join('; ')}`
          : `A request whose body is not JSON arrived (--expect-valid): ${reason}`,
      );
      return;
    }
    case 'captureFailed':
      output.error(end.error.message);
      return;
    case 'outputClosed':
      output.warn('The output closed; listen stopped.');
      return;
  }
}

export function printSummary(summary: ListenSummary, output: Output): void {
  const events = summary.valid + summary.invalid;
  const kinds = describeCounts(
    summary.byKind,
    (kind, count) => `${count} ${kind}`,
  );
  const rejected = describeCounts(
    summary.rejectedByStatus,
    (status, count) => `${count} x ${status}`,
  );
  output.info(
    [
      `Stopped (${summary.outcome}).`,
      `Events: ${events}${kinds ? ` (${kinds})` : ''}, ${summary.valid} valid, ${summary.invalid} invalid, ${summary.filteredOut} filtered out by --events.`,
      `Rejected: ${rejected || 'none'}.`,
      ...(summary.forwarded ? [describeForwards(summary.forwarded)] : []),
    ].join(' '),
  );
}

function describeForwards(forwarded: ForwardCounts): string {
  return `Forwarded: ${forwarded.ok} ok, ${forwarded.appError} answered with an error status, ${forwarded.failed} failed, ${forwarded.overQueueBound} over the --forward-queue bound, ${forwarded.notForwarded} not forwarded at shutdown.`;
}

function describeCounts(
  counts: Record<string, number>,
  describe: (key: string, count: number) => string,
): string {
  return Object.entries(counts)
    .map(([key, count]) => describe(key, count))
    .join(', ');
}
