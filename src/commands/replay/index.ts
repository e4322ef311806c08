import type { ExitCode } from '../../errors.js';
import { createOutput, createStdoutColors, type Output } from '../../output.js';
import { createSecretMask } from '../../receiver/secret-mask.js';
import { describeFilter } from './event-filter.js';
import { planReplay } from './plan-replay.js';
import { ReplayReport } from './replay-report.js';
import { ReplaySender } from './replay-sender.js';
import { ReplayTally, type ReplayOutcome } from './replay-tally.js';
import { sendEvents } from './send-events.js';
import {
  resolveReplaySettings,
  type ReplayFlags,
  type ReplaySettings,
} from './settings.js';
import { watchInterrupts } from './watch-interrupts.js';

export type { ReplayFlags } from './settings.js';

/**
 * `astradial replay`: sends the events a listen capture holds to the
 * user's receiver again, byte for byte, one at a time in captured order,
 * at most --rate a second. Exit 0 when every event sent was answered 2xx,
 * 1 when one was not (or got no answer) or a line was changed after
 * capture, 2 for a usage error or a file that is not a capture, 130 when
 * stopped.
 */
export async function replay(
  capture: string,
  flags: ReplayFlags,
): Promise<ExitCode> {
  const output = createOutput(flags);
  const settings = await resolveReplaySettings(capture, flags, Date.now());
  for (const warning of settings.warnings) output.warn(warning);

  const secret = settings.secret?.value;
  const hideSecret = secret ? createSecretMask(secret).hide : noMask;
  const tally = new ReplayTally();
  const report = new ReplayReport({
    output,
    stdoutColors: createStdoutColors(flags.color),
    captureName: settings.input.name,
    target: settings.target,
  });
  const stop = new AbortController();
  let sender: ReplaySender | undefined;
  const stopWatching = watchInterrupts({
    onStop: () => stop.abort(),
    onAbort: () => sender?.abort(),
  });

  let outcome: ReplayOutcome = 'interrupted';
  try {
    const ordinals = await planReplay(settings, tally, report, stop.signal);
    if (!stop.signal.aborted) {
      announce(settings, ordinals.length, output);
      sender =
        secret === undefined || settings.isDryRun
          ? undefined
          : new ReplaySender({ ...settings, secret, hideSecret });
      const parts = { settings, tally, report, sender, hideSecret };
      outcome = await sendEvents(ordinals, { ...parts, signal: stop.signal });
    }
  } finally {
    stopWatching();
    await sender?.close();
  }

  const summary = tally.summarise(outcome, settings.isDryRun);
  report.finish(summary);
  return summary.exitCode;
}

function noMask(text: string): string {
  return text;
}

/** What is about to happen, on stderr; a warning when it is nothing. */
function announce(
  settings: ReplaySettings,
  count: number,
  output: Output,
): void {
  const { input, target, filter, rate } = settings;
  const filtered = describeFilter(filter);
  if (count === 0) {
    output.warn(
      filtered
        ? `No event in ${input.name} matches the filters (${filtered}): nothing to send.`
        : `${input.name} holds no event that listen answered 200: nothing to send.`,
    );
    return;
  }
  const events = `${count} ${count === 1 ? 'event' : 'events'}`;
  const which = filtered ? ` (${filtered})` : '';
  output.info(
    settings.isDryRun
      ? `Dry run: the ${events}${which} that would be sent from ${input.name} to ${target.href}:`
      : `Replaying ${events}${which} from ${input.name} to ${target.href}, one at a time in captured order, at most ${rate} a second.`,
  );
}
