import type { CheckOptions } from '../../contract/check-event.js';
import type { EventKind } from '../../contract/schemas.js';
import { AstradialError, type ExitCode } from '../../errors.js';
import { createOutput, createStdoutColors, type Output } from '../../output.js';
import { checkRecord } from '../../verify/check-record.js';
import { readRecords } from '../../verify/read-records.js';
import {
  createReporter,
  type ReporterName,
} from '../../verify/reporters/create-reporter.js';
import {
  resolveInputs,
  type VerifyInput,
} from '../../verify/resolve-inputs.js';
import type { Reporter } from '../../verify/verify-result.js';
import { VerifyTally } from '../../verify/verify-tally.js';
import { StdoutSink } from './stdout-sink.js';

export interface VerifyFlags {
  reporter: ReporterName;
  type?: EventKind;
  strict: boolean;
  json: boolean;
  quiet: boolean;
  color: boolean;
}

/**
 * `astradial verify`: checks payloads and listen captures against the
 * contract. The report goes to stdout; the exit code tells CI the verdict.
 */
export async function verify(
  files: string[],
  flags: VerifyFlags,
): Promise<ExitCode> {
  const output = createOutput(flags);
  const inputs = await resolveInputs(files, process.cwd());
  const sink = new StdoutSink();
  const reporter = createReporter(flags.json ? 'json' : flags.reporter, {
    write: sink.write,
    colors: createStdoutColors(flags.color),
  });
  const tally = new VerifyTally();
  const options: CheckOptions = { kind: flags.type, isStrict: flags.strict };

  for (const input of inputs) {
    await verifyInput(input, { reporter, tally, sink, output, options });
  }

  const summary = tally.summarise(inputs.length);
  reporter.finish(summary);
  await sink.drained();
  if (summary.valid + summary.invalid === 0 && summary.unreadableFiles === 0) {
    output.error(
      'Nothing was checked: the inputs hold no records with a body. Check that the capture or payload files are the right ones.',
    );
  }
  return summary.exitCode;
}

interface RunParts {
  reporter: Reporter;
  tally: VerifyTally;
  sink: StdoutSink;
  output: Output;
  options: CheckOptions;
}

/**
 * Checks every record of one input. An input that cannot be read is
 * reported and the run goes on: CI learns about every broken file at once.
 */
async function verifyInput(input: VerifyInput, parts: RunParts) {
  const { reporter, tally, sink, options } = parts;
  try {
    for await (const batch of readRecords(input)) {
      for (const record of batch) {
        const verdict = checkRecord(record, options);
        tally.add(verdict);
        reporter.record(verdict);
      }
      await sink.drained();
    }
  } catch (error) {
    if (!(error instanceof AstradialError)) throw error;
    tally.fileFailed();
    reporter.fileFailed(input.name, error.message);
  }
}
