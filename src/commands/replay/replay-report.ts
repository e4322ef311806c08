import type { ChalkInstance } from 'chalk';

import type { Output } from '../../output.js';
import {
  formatSentLine,
  toSentJson,
  type SentEvent,
} from '../../send/sent-event.js';
import type { CapturedEvent } from './capture-entry.js';
import type { ReplaySummary } from './replay-tally.js';

/** Why a line of the capture was passed over, loudly. */
export type SkipCause = 'tampered' | 'unreadable';

/** Where a replay's events came from and went, for its messages. */
export interface ReportContext {
  output: Output;
  /** Colours for stdout, which may be a terminal when stderr is not. */
  stdoutColors: ChalkInstance;
  captureName: string;
  target: URL;
}

/**
 * Everything a replay tells the user. The per-event lines are the
 * report, data on stdout: as trigger prints them, or NDJSON with --json.
 * Skipped lines and the summary are said on stderr; with --json they are
 * also records on stdout, the summary last, so a script sees everything.
 */
export class ReplayReport {
  readonly #context: ReportContext;

  constructor(context: ReportContext) {
    this.#context = context;
  }

  skipped(line: number, cause: SkipCause, reason: string): void {
    const { output, captureName } = this.#context;
    const message = `Line ${line} of ${captureName} not replayed: ${reason}.`;
    if (cause === 'tampered') output.error(message);
    else output.warn(message);
    if (output.isJson) {
      output.data(JSON.stringify({ type: 'skipped', line, cause, reason }));
    }
  }

  /** Planned events gone from the file by the time they were to be sent. */
  vanished(count: number): void {
    const { output, captureName } = this.#context;
    const reason = `${plural(count, 'planned event is', 'planned events are')} no longer in ${captureName}: it got shorter after replay first read it`;
    output.error(`${reason}.`);
    if (output.isJson) {
      output.data(
        JSON.stringify({ type: 'skipped', cause: 'tampered', reason }),
      );
    }
  }

  /** A dry run's line for an event that would be sent. */
  planned(event: CapturedEvent, kind: string, id: string): void {
    const { output, stdoutColors } = this.#context;
    if (output.isJson) {
      output.data(
        JSON.stringify({
          type: 'planned',
          kind,
          id,
          line: event.line,
          receivedAt: event.receivedAt,
          contentType: event.contentType,
          bodyBytes: event.body.length,
        }),
      );
      return;
    }
    output.data(
      `${stdoutColors.cyan('would send')} ${kind.padEnd(12)} ${id}  line ${event.line}, received ${event.receivedAt}, ${event.body.length} bytes`,
    );
  }

  sent(sent: SentEvent, event: CapturedEvent): void {
    const { output, stdoutColors } = this.#context;
    if (output.isJson) {
      const { line, receivedAt } = event;
      output.data(JSON.stringify({ ...toSentJson(sent), line, receivedAt }));
      return;
    }
    output.data(formatSentLine(sent, stdoutColors));
  }

  finish(summary: ReplaySummary): void {
    const { output } = this.#context;
    if (summary.tampered > 0) {
      output.error(
        `${plural(summary.tampered, 'line was', 'lines were')} changed after listen wrote ${summary.tampered === 1 ? 'it' : 'them'} and not replayed (see above). Replay the capture as listen wrote it, or delete those lines if the change was on purpose.`,
      );
    }
    if (output.isJson) {
      output.data(JSON.stringify(summary));
      return;
    }
    output.info(this.#describeSent(summary));
    const passedOver = describePassedOver(summary);
    if (passedOver) output.info(`Not replayed: ${passedOver}.`);
  }

  #describeSent(summary: ReplaySummary): string {
    const to = this.#context.target.href;
    if (summary.dryRun) {
      return `Dry run: ${plural(summary.selected, 'event')} would be sent to ${to}; nothing was sent.`;
    }
    const stopped =
      summary.notSent > 0 ? ` Stopped before sending ${summary.notSent}.` : '';
    return `Replayed ${summary.sent} of ${plural(summary.selected, 'event')} to ${to}: ${summary.accepted} accepted (2xx), ${summary.notAccepted} not accepted, ${summary.failed} with no answer.${stopped}`;
  }
}

function describePassedOver(summary: ReplaySummary): string {
  const parts = [
    [summary.filteredOut, 'filtered out'],
    [summary.refused, 'refused by listen'],
    [summary.tampered, 'changed after capture'],
    [summary.unreadable, 'not written whole by listen'],
  ] as const;
  return parts
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${count} ${what}`)
    .join(', ');
}

function plural(count: number, singular: string, pluralForm?: string): string {
  return `${count} ${count === 1 ? singular : (pluralForm ?? `${singular}s`)}`;
}
