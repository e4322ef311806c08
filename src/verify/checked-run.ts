import { EVENT_KINDS } from '../contract/event-kinds.js';
import type { LineRun } from './parse-line-run.js';
import type { RecordVerdict } from './verify-result.js';

/** The code of a record whose verdict is in `others`. */
const IN_OTHERS = 255;

/**
 * The verdicts of a run as a worker thread sends them back. Most records
 * are valid, and a million verdict objects cost more to copy between
 * threads than to check; so a valid record travels as three numbers
 * (its kind, line and whether it came from a capture) and only the
 * others as objects.
 */
export type CheckedRun = {
  codes: Uint8Array;
  lines: Uint32Array;
  captures: Uint8Array;
  others: RecordVerdict[];
};

export function packVerdicts(verdicts: RecordVerdict[]): CheckedRun {
  const count = verdicts.length;
  const packed: CheckedRun = {
    codes: new Uint8Array(count),
    lines: new Uint32Array(count),
    captures: new Uint8Array(count),
    others: [],
  };
  verdicts.forEach((verdict, index) => {
    const isPlainValid =
      verdict.outcome === 'valid' &&
      verdict.kind !== undefined &&
      verdict.location.index === undefined;
    if (isPlainValid) {
      packed.codes[index] = EVENT_KINDS.indexOf(verdict.kind!);
      packed.lines[index] = verdict.location.line;
      packed.captures[index] = verdict.isCapture ? 1 : 0;
    } else {
      packed.codes[index] = IN_OTHERS;
      packed.others.push(verdict);
    }
  });
  return packed;
}

/** The verdicts of `run`, in order, as they were before packing. */
export function unpackVerdicts(
  run: LineRun,
  packed: CheckedRun,
): RecordVerdict[] {
  const verdicts: RecordVerdict[] = [];
  let other = 0;
  for (let index = 0; index < packed.codes.length; index += 1) {
    const code = packed.codes[index]!;
    if (code === IN_OTHERS) {
      verdicts.push(packed.others[other]!);
      other += 1;
      continue;
    }
    verdicts.push({
      location: { file: run.file, line: packed.lines[index]! },
      outcome: 'valid',
      kind: EVENT_KINDS[code],
      matchesNoKind: false,
      problems: [],
      isCapture: packed.captures[index] === 1,
    });
  }
  return verdicts;
}
