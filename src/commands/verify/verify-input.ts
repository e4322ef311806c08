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
const RUN_CHARACTERS = 1024 * 1024;

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
    parts.tally.fileFailed();
    parts.reporter.fileFailed(input.name, error.message);
    return;
  }
  await ordered.flush();
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
  let waiting: LineRun | undefined;
  const send = async () => {
    if (waiting) await ordered.add(pool.check(waiting));
    waiting = undefined;
  };
  for await (const pieces of readPieces(input)) {
    for (const piece of pieces) {
      if (piece.type !== 'lines') {
        await send();
        await ordered.add([checkRecord(piece, ordered.options)]);
        continue;
      }
      waiting = waiting ? joinRuns(waiting, piece) : piece;
      if (waiting.text.length >= RUN_CHARACTERS) await send();
    }
  }
  await send();
}

/** Runs cut one after the other from the same input are one run. */
function joinRuns(first: LineRun, next: LineRun): LineRun {
  return { ...first, text: first.text + next.text };
}

/**
 * Reports verdicts in the order their records came, whether checked here
 * or still being checked by a worker; at most `depth` batches wait, which
 * bounds the memory a big input takes.
 */
class OrderedReport {
  readonly #waiting: Array<RecordVerdict[] | Promise<RecordVerdict[]>> = [];

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
    await sink.drained();
  }
}
