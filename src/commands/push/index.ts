import { EXIT_CODES, type ExitCode } from '../../errors.js';
import type { JournalHistory } from '../../journal/push-journal.js';
import { createOutput, type Output } from '../../output.js';
import { exitOnInterrupt } from './interrupts.js';
import { openLeadSource } from './lead-source.js';
import { openPushState } from './open-state.js';
import { runPush } from './run-push.js';
import {
  resolvePushSettings,
  type PushFlags,
  type PushSettings,
} from './settings.js';
import { printAdvice, printSummary, type PushSummary } from './summary.js';

export type { PushFlags } from './settings.js';

/** `astradial push <file|->`: returns the exit code. */
export async function push(input: string, flags: PushFlags): Promise<ExitCode> {
  const output = createOutput(flags);
  const startup = exitOnInterrupt(flags.json);

  const settings = await resolvePushSettings(input, flags);
  for (const warning of settings.warnings) output.warn(warning);

  const source = await openLeadSource(settings);
  const state = await openPushState(settings);
  announce(settings, source.isRejectsFile, output);
  if (state?.history) announceResume(state.history, state.journal.path, output);
  startup.dispose();
  const summary = await runPush(settings, source, state, output);

  // Counts go to stdout with --json and nowhere with --quiet; why a run
  // stopped, and what to do next, always reach stderr.
  if (flags.json) output.data(JSON.stringify(summary));
  if (flags.json || flags.quiet) printAdvice(summary, output);
  else printSummary(summary, output);
  return exitCodeFor(summary);
}

function announce(
  settings: PushSettings,
  isRejectsFile: boolean,
  output: Output,
): void {
  const source = settings.input === '-' ? 'standard input' : settings.input;
  if (isRejectsFile) {
    output.info(
      `${source} is a rejects file from an earlier push: its astradial_* columns are not sent.`,
    );
  }
  if (settings.dryRun) {
    output.info(`Checking ${source} (dry run: nothing is sent).`);
    return;
  }
  output.info(
    `Pushing ${source} to ${settings.target?.href} at up to ${settings.rate} requests/s.`,
  );
}

function announceResume(
  history: JournalHistory,
  statePath: string,
  output: Output,
): void {
  const counts = history.counts();
  output.info(
    `Resuming from ${statePath} (started ${history.createdAt}): ${counts.delivered} rows delivered before are skipped.`,
  );
}

function exitCodeFor(summary: PushSummary): ExitCode {
  switch (summary.outcome) {
    case 'delivered':
      return EXIT_CODES.ok;
    case 'rowsRejected':
      return EXIT_CODES.rowsRejected;
    case 'stopped':
      return EXIT_CODES.stopped;
    case 'interrupted':
      return EXIT_CODES.interrupted;
    case 'inputBroken':
      return EXIT_CODES.inputBroken;
  }
}
