import type { CheckOptions } from '../../contract/check-event.js';
import { AstradialError } from '../../errors.js';
import { checkRecord } from '../../verify/check-record.js';
import type { CheckPool } from '../../verify/check-pool.js';
import type { LineRun } from '../../verify/parse-line-run.js';
import { readPieces, readRecords } from '../../verify/read-records.js';
import type { VerifyInput } from '../../verify/resolve-inputs.js';
import type { RecordVerdict, Reporter } from '../../verify/verify-result.js';
import type { VerifyTally } from '../../verify/verify-tally.js';
import type { StdoutSink } from './stdout-sink.js';

export interface VerifyParts {
  reporter: Reporter;
  tally: VerifyTally;
  sink: StdoutSink;
  options: CheckOptions;
}

/** Lines are sent to the worker threads in runs of about this many bytes. */
const RUN_BYTES = 1024 * 1024;

/**
 * Checks every record of one input, on this thread, or with `pool` on
 * worker threads; either way the verdicts are reported in input order. An
 * input that cannot be read is reported after the records read before the
 * failure, and the run goes on: CI learns about every broken file at once.
 */
export async function verifyInput(
  input: VerifyInput,
  parts: VerifyParts,
  pool?: CheckPool,
): Promise<void> {
  const ordered = new OrderedReport(parts, pool === undefined ? 1 : 4);
  try {
    if (pool) await checkInPool(input, pool, ordered);
    else await checkHere(input, parts.options, ordered);
  } catch (error) {
    await ordered.flush();
    if (!(error instanceof AstradialError)) throw error;
    reportNotChecked(input, error.message, parts);
    return;
  }
  await ordered.flush();
  if (ordered.reported === 0) {
    // An empty capture means no event arrived: in CI, that is a failure.
    reportNotChecked(input, NO_RECORDS, parts);
  }
}

const NO_RECORDS =
  'holds no records: it is empty, or only blank lines. An empty capture means no event reached listen.';

function reportNotChecked(
  input: VerifyInput,
  message: string,
  parts: VerifyParts,
): void {
  parts.tally.fileFailed();
  parts.reporter.fileFailed(input.name, message);
}

async function checkHere(
  input: VerifyInput,
  options: CheckOptions,
  ordered: OrderedReport,
): Promise<void> {
  for await (const batch of readRecords(input)) {
    await ordered.add(batch.map((record) => checkRecord(record, options)));
  }
}

async function checkInPool(
  input: VerifyInput,
  pool: CheckPool,
  ordered: OrderedReport,
): Promise<void> {
  let waiting: LineRun[] = [];
  let waitingBytes = 0;
  const send = async () => {
    if (waiting.length === 0) return;
    await ordered.add(pool.check(joinRuns(waiting)));
    waiting = [];
    waitingBytes = 0;
  };
  for await (const pieces of readPieces(input)) {
    for (const piece of pieces) {
      if (piece.type !== 'lines') {
        await send();
        await ordered.add([checkRecord(piece, ordered.options)]);
        continue;
      }
      waiting.push(piece);
      waitingBytes += piece.bytes.length;
      if (waitingBytes >= RUN_BYTES) await send();
    }
  }
  await send();
}

/**
 * Runs cut one after the other from the same input make one run, in a
 * buffer of its own that can be handed to a worker without a copy.
 */
function joinRuns(runs: LineRun[]): LineRun {
  const size = runs.reduce((sum, run) => sum + run.bytes.length, 0);
  // allocUnsafeSlow: Buffer.concat may place a small result in Node's
  // shared pool, which must never be moved to another thread.
  const bytes = Buffer.allocUnsafeSlow(size);
  let offset = 0;
  for (const run of runs) {
    bytes.set(run.bytes, offset);
    offset += run.bytes.length;
  }
  return { ...runs[0]!, bytes };
}

/**
 * Reports verdicts in the order their records came, whether checked here
 * or still being checked by a worker; at most `depth` batches wait, which
 * bounds the memory a big input takes.
 */
class OrderedReport {
  readonly #waiting: Array<RecordVerdict[] | Promise<RecordVerdict[]>> = [];
  /** Verdicts reported so far. */
  reported = 0;

  constructor(
    private readonly parts: VerifyParts,
    private readonly depth: number,
  ) {}

  get options(): CheckOptions {
    return this.parts.options;
  }

  async add(verdicts: RecordVerdict[] | Promise<RecordVerdict[]>) {
    this.#waiting.push(verdicts);
    // A rejected batch is reported when its turn comes, not before.
    if (verdicts instanceof Promise) verdicts.catch(() => {});
    while (this.#waiting.length > this.depth) await this.#reportNext();
  }

  async flush(): Promise<void> {
    while (this.#waiting.length > 0) await this.#reportNext();
  }

  async #reportNext(): Promise<void> {
    const verdicts = await this.#waiting.shift()!;
    const { tally, reporter, sink } = this.parts;
    for (const verdict of verdicts) {
      tally.add(verdict);
      reporter.record(verdict);
    }
    this.reported += verdicts.length;
    await sink.drained();
  }
}
