import type { RawRecord } from '../../verify/raw-record.js';
import { toCaptureEntry, type CapturedEvent } from './capture-entry.js';
import { describeEvent } from './event-fields.js';
import { matchesFilter } from './event-filter.js';
import { numberedRecords } from './numbered-records.js';
import type { ReplayReport } from './replay-report.js';
import type { ReplaySender } from './replay-sender.js';
import type { ReplayOutcome, ReplayTally } from './replay-tally.js';
import type { ReplaySettings } from './settings.js';

export interface SendParts {
  settings: ReplaySettings;
  tally: ReplayTally;
  report: ReplayReport;
  /** Absent in a dry run, which lists the events instead. */
  sender: ReplaySender | undefined;
  hideSecret: (text: string) => string;
  /** Aborted by Ctrl-C: send no more. */
  signal: AbortSignal;
}

const CHANGED =
  'the line changed after replay first read it (is something rewriting the file?)';

/**
 * The second reading of the capture: each planned event, found again by
 * its ordinal and checked again, is sent (or, in a dry run, listed) in
 * capture order. Reading stops after the last planned one.
 */
export async function sendEvents(
  ordinals: number[],
  parts: SendParts,
): Promise<ReplayOutcome> {
  if (ordinals.length === 0) return 'done';
  let next = 0;
  for await (const { ordinal, record } of numberedRecords(
    parts.settings.input,
  )) {
    if (ordinal !== ordinals[next]) continue;
    const event = findEventAgain(record, parts);
    if (event === undefined) {
      parts.tally.unpick();
      parts.report.skipped(record.location.line, 'tampered', CHANGED);
    } else if (!(await sendOne(event, parts))) {
      return 'interrupted';
    }
    next += 1;
    if (next === ordinals.length) return 'done';
  }
  reportVanished(ordinals.length - next, parts);
  return 'done';
}

/** The planned event at this record, or undefined if it is not one now. */
function findEventAgain(
  record: RawRecord,
  parts: SendParts,
): CapturedEvent | undefined {
  try {
    const entry = toCaptureEntry(record, parts.settings.isRefusedIncluded);
    if (entry.type !== 'event') return undefined;
    return matchesFilter(entry, parts.settings.filter) ? entry : undefined;
  } catch {
    // No longer a capture line at all.
    return undefined;
  }
}

/** Sends or lists one event; false when Ctrl-C came first. */
async function sendOne(
  event: CapturedEvent,
  parts: SendParts,
): Promise<boolean> {
  const { report, sender, signal } = parts;
  if (signal.aborted) return false;
  const { kind, id } = describeEvent(event, parts.hideSecret);
  if (sender === undefined) {
    report.planned(event, kind, id);
    return true;
  }
  if (!(await sender.waitForTurn(signal))) return false;
  const outcome = await sender.send(event);
  parts.tally.addSent(outcome);
  report.sent({ kind, id, outcome }, event);
  return true;
}

/** The file got shorter between the readings: those events are gone. */
function reportVanished(count: number, parts: SendParts): void {
  if (count === 0) return;
  for (let index = 0; index < count; index += 1) parts.tally.unpick();
  parts.report.vanished(count);
}
