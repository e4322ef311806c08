import type { ForwardOutcome } from '../../forward/forward-outcome.js';
import { formatForwardLine } from '../../forward/forward-tail-format.js';
import { createStdoutColors, type Output } from '../../output.js';
import type { RequestRecord } from '../../receiver/request-record.js';
import { formatTailJson, formatTailLine } from '../../receiver/tail-format.js';
import { LineBatch } from './line-batch.js';
import type { ListenFlags, ListenSettings } from './settings.js';

/** What listen shows on stdout, one request or forward at a time. */
export interface Tail {
  /** A request that was answered. */
  showDecided(record: RequestRecord): void;
  /** The end of an event's forward (--forward-to). */
  showForwarded(record: RequestRecord, forward: ForwardOutcome): void;
  /** Writes the lines still waiting for the end of this turn. */
  flush(): void;
}

/**
 * The tail on stdout: JSON lines with --json or when stdout is not a
 * terminal (a pipe, a file, CI), readable lines otherwise. Events left out
 * by --events are not shown; rejected requests always are, whatever their
 * kind (a 400 from --strict included).
 *
 * With --forward-to, a readable event line comes at once and its forward's
 * line when the forward ends; a JSON event line waits for its forward, so
 * that it carries the outcome in its `forward` field.
 *
 * The lines of one turn of the event loop are written together (see
 * LineBatch): call `flush` before writing anything else to stdout.
 */
export function createTail(
  settings: ListenSettings,
  flags: ListenFlags,
  output: Output,
): Tail {
  const isJson = flags.json || !process.stdout.isTTY;
  const colors = createStdoutColors(flags.color);
  const isForwarding = settings.forward !== undefined;
  const lines = new LineBatch((text) => output.data(text));
  return {
    showDecided(record) {
      if (record.isMatching === false && record.status === 200) return;
      if (!isJson) {
        lines.add(formatTailLine(record, colors, settings.isVerbose));
      } else if (!isForwarding || record.status !== 200) {
        lines.add(formatTailJson(record, settings.isVerbose));
      }
    },
    showForwarded(record, forward) {
      lines.add(
        isJson
          ? formatTailJson(record, settings.isVerbose, forward)
          : formatForwardLine(record, forward, colors),
      );
    },
    flush: () => lines.flush(),
  };
}
