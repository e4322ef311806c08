import { availableParallelism } from 'node:os';

import type { CheckOptions } from '../../contract/check-event.js';
import type { EventKind } from '../../contract/schemas.js';
import type { ExitCode } from '../../errors.js';
import { letYoungGenerationGrow } from '../../runtime/heap-size.js';
import { stopOnInterrupt } from '../../runtime/stop-on-interrupt.js';
import {
  createOutput,
  createStdoutColors,
  type Output,
  type OutputOptions,
} from '../../output.js';
import { CheckPool } from '../../verify/check-pool.js';
import {
  createReporter,
  type ReporterName,
} from '../../verify/reporters/create-reporter.js';
import type { VerifyInput } from '../../verify/resolve-inputs.js';
import type { VerifySummary } from '../../verify/verify-result.js';
import { VerifyTally } from '../../verify/verify-tally.js';
import { resolveEachInput } from './resolve-each-input.js';
import { StdoutSink } from './stdout-sink.js';
import { verifyInput } from './verify-input.js';

/**
 * Files at least this big are checked on worker threads: below it, the
 * threads' start-up (each loads the schemas) costs more than they save.
 */
const THREADS_FROM_BYTES = 8 * 1024 * 1024;
/** At most this many threads, so that a big CI runner keeps cores for others. */
const MAX_THREADS = 4;

export interface VerifyFlags extends OutputOptions {
  reporter: ReporterName;
  type?: EventKind;
  strict: boolean;
}

/**
 * `astradial verify`: checks payloads and listen captures against the
 * contract. The report goes to stdout; the exit code tells CI the verdict.
 */
export async function verify(
  files: string[],
  flags: VerifyFlags,
): Promise<ExitCode> {
  letYoungGenerationGrow();
  const output = createOutput(flags);
  const { inputs, failures } = await resolveEachInput(files, process.cwd());
  const sink = new StdoutSink();
  const reporter = createReporter(flags.json ? 'json' : flags.reporter, {
    write: sink.write,
    colors: createStdoutColors(flags.color),
  });
  const tally = new VerifyTally();
  const options: CheckOptions = { kind: flags.type, isStrict: flags.strict };

  const parts = { reporter, tally, sink, options };
  for (const failure of failures) {
    tally.fileFailed();
    reporter.fileFailed(failure.name, failure.message);
  }
  const stopWatching = stopOnInterrupt(
    'before every record was checked: no verdict',
  );
  const pool = createPoolFor(inputs, options);
  try {
    for (const input of inputs) {
      await verifyInput(input, parts, isWorthThreads(input) ? pool : undefined);
    }
  } finally {
    await pool?.close();
  }

  const summary = tally.summarise(inputs.length + failures.length);
  stopWatching();
  reporter.finish(summary);
  await sink.drained();
  warnOfNothingChecked(summary, output);
  return summary.exitCode;
}

function warnOfNothingChecked(summary: VerifySummary, output: Output): void {
  if (summary.valid + summary.invalid > 0) return;
  if (summary.skipped > 0) {
    output.error(
      'Nothing was checked: every record was a captured request without a body (listen refused it before reading one). Check that the capture is the right one.',
    );
  } else if (summary.uncheckedFiles < summary.files) {
    output.error(
      'Nothing was checked: the inputs hold no records. Check that the capture or payload files are the right ones.',
    );
  }
}

function isWorthThreads(input: VerifyInput): boolean {
  return (input.size ?? 0) >= THREADS_FROM_BYTES;
}

/** Worker threads, when there is a big file and more than one core. */
function createPoolFor(
  inputs: VerifyInput[],
  options: CheckOptions,
): CheckPool | undefined {
  const threads = Math.min(availableParallelism(), MAX_THREADS);
  if (threads < 2 || !inputs.some(isWorthThreads)) return undefined;
  return new CheckPool(threads, options);
}
