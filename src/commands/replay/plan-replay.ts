import { UsageError } from '../../errors.js';
import { toCaptureEntry } from './capture-entry.js';
import { matchesFilter } from './event-filter.js';
import { numberedRecords } from './numbered-records.js';
import type { ReplayReport } from './replay-report.js';
import type { ReplaySettings } from './settings.js';
import type { ReplayTally } from './replay-tally.js';

/**
 * The first reading of the capture, before anything is sent: every line
 * must be a capture line (else `replay.notACapture`, exit 2, nothing
 * sent), lines changed after capture and lines listen did not finish are
 * reported as they are found, and each line is counted. Returns the
 * ordinals of the events to send, in capture order; lines appended after
 * this reading (listen still running) are not among them.
 *
 * Stops early, with what it has, when `signal` aborts.
 */
export async function planReplay(
  settings: ReplaySettings,
  tally: ReplayTally,
  report: ReplayReport,
  signal: AbortSignal,
): Promise<number[]> {
  const ordinals: number[] = [];
  const { counts } = tally;
  let records = 0;
  for await (const { ordinal, record } of numberedRecords(settings.input)) {
    if (signal.aborted) break;
    records += 1;
    const entry = toCaptureEntry(record, settings.isRefusedIncluded);
    switch (entry.type) {
      case 'refused':
        counts.refused += 1;
        break;
      case 'tampered':
      case 'unreadable':
        counts[entry.type] += 1;
        report.skipped(entry.line, entry.type, entry.reason);
        break;
      case 'event':
        if (matchesFilter(entry, settings.filter)) {
          counts.selected += 1;
          ordinals.push(ordinal);
        } else {
          counts.filteredOut += 1;
        }
    }
  }
  if (records === 0 && !signal.aborted) throw emptyCapture(settings);
  return ordinals;
}

function emptyCapture(settings: ReplaySettings): UsageError {
  return new UsageError(
    'replay.emptyCapture',
    `${settings.input.name} is empty: there is nothing to replay. Check that it is the file listen --capture wrote, and that events arrived while listen ran.`,
  );
}
