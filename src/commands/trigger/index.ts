import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { EventKind } from '../../contract/event-kinds.js';
import { EXIT_CODES, type ExitCode } from '../../errors.js';
import { ForwardSender } from '../../forward/forward-sender.js';
import { createOutput, createStdoutColors, type Output } from '../../output.js';
import { createSecretMask } from '../../receiver/secret-mask.js';
import { stopOnInterrupt } from '../../runtime/stop-on-interrupt.js';
import {
  formatSentLine,
  identifyEvent,
  isAccepted,
  toSentJson,
  type SentEvent,
} from '../../send/sent-event.js';
import { formatCurlCommand } from './curl-command.js';
import {
  resolveTriggerSettings,
  type TriggerFlags,
  type TriggerSettings,
} from './settings.js';

export type { TriggerFlags } from './settings.js';

/**
 * The headers of every event besides X-Webhook-Secret. The contract names
 * only Content-Type and the secret; AstraDial's own User-Agent is not
 * documented, so ours says which tool sent the event.
 */
export const EVENT_HEADERS: Array<[name: string, value: string]> = [
  ['Content-Type', 'application/json'],
  ['User-Agent', 'astradial-cli'],
];

/**
 * `astradial trigger`: sends sample events of `kind` (or a --data file)
 * to the developer's receiver, one at a time, and reports each answer.
 */
export async function trigger(
  kind: EventKind,
  flags: TriggerFlags,
): Promise<ExitCode> {
  const output = createOutput(flags);
  const settings = await resolveTriggerSettings(kind, flags);
  for (const warning of settings.warnings) output.warn(warning);
  announce(settings, flags, output);

  // An event in flight when the run stops may have reached the receiver;
  // trigger keeps no record, so there is nothing to finish first.
  const stopWatching = stopOnInterrupt(
    'before every event was sent: an event in flight may have arrived',
  );
  const sent = await sendAll(settings, flags, output);
  stopWatching();

  const notAccepted = sent.filter((event) => !isAccepted(event.outcome));
  const exitCode =
    notAccepted.length === 0 ? EXIT_CODES.ok : EXIT_CODES.eventsNotAccepted;
  if (flags.json) {
    output.data(
      JSON.stringify({
        type: 'summary',
        sent: sent.length,
        accepted: sent.length - notAccepted.length,
        // As replay counts them: answered other than 2xx, and no answer.
        notAccepted: notAccepted.filter(isAnswered).length,
        failed: notAccepted.filter((event) => !isAnswered(event)).length,
        exitCode,
      }),
    );
  }
  printSummary(sent, notAccepted, settings, output);
  return exitCode;
}

function announce(
  settings: TriggerSettings,
  flags: TriggerFlags,
  output: Output,
): void {
  const count = settings.bodies.length;
  const what =
    flags.data === undefined
      ? `${count} sample ${settings.kind} ${count === 1 ? 'event' : 'events'}`
      : `${flags.data} ${count === 1 ? 'once' : `${count} times, the same body each time (only samples get fresh ids)`}`;
  output.info(
    `Sending ${what} to ${settings.url.href}, with the secret from ${settings.secret.origin}.`,
  );
}

/**
 * Sends the bodies one after another, so the receiver sees them in order
 * and each latency is the receiver's own, paced at --rate. Each answer
 * goes to stdout as it comes; a curl command that sends the first body
 * again goes to stderr after its answer.
 */
async function sendAll(
  settings: TriggerSettings,
  flags: TriggerFlags,
  output: Output,
): Promise<SentEvent[]> {
  const secret = settings.secret.value;
  const sender = new ForwardSender({
    url: settings.url,
    timeoutMs: settings.timeoutMs,
    // A receiver that echoes its request would show the secret.
    redact: createSecretMask(secret).hide,
    timeoutFlag: '--timeout',
    abortedReason: 'abandoned in flight when trigger was stopped',
  });
  const headers = [...EVENT_HEADERS.flat(), 'X-Webhook-Secret', secret];
  const colors = createStdoutColors(flags.color);
  const sent: SentEvent[] = [];
  const interval = 1000 / settings.rate;
  const perSecond = Math.max(1, Math.floor(settings.rate));
  const answeredAt: number[] = [];
  let nextAt = performance.now();
  try {
    for (const [index, body] of settings.bodies.entries()) {
      // One event every 1/rate seconds, and never more than the rate
      // within a second of an earlier answer: a receiver counts arrivals,
      // and the first one can be late (a new connection) while the next
      // are not. So --count 1000 does not meet listen's 60 a second.
      const windowAt = answeredAt[index - perSecond] ?? 0;
      const wait = Math.max(nextAt, windowAt + 1000) - performance.now();
      if (wait > 0) await sleep(wait);
      nextAt = performance.now() + interval;
      const outcome = await sender.send(body.bytes, headers);
      answeredAt.push(performance.now());
      const event = {
        kind: settings.kind,
        id: identifyEvent(body.parsed),
        outcome,
      };
      sent.push(event);
      output.data(
        flags.json
          ? JSON.stringify(toSentJson(event))
          : formatSentLine(event, colors),
      );
      if (index > 0) continue;
      output.info(describeCurl(settings, flags, body.text));
    }
  } finally {
    await sender.close();
  }
  return sent;
}

function isAnswered(event: SentEvent): boolean {
  return 'status' in event.outcome;
}

/** Bodies longer than this cannot be one argument of a shell command. */
const MAX_ARGUMENT_CHARACTERS = 100_000;

/**
 * The curl line that sends the first body again: reading --data's file
 * when it is sent unchanged, and not at all for a body too long for the
 * shell to take as one argument.
 */
function describeCurl(
  settings: TriggerSettings,
  flags: TriggerFlags,
  body: string,
): string {
  const bodyFile =
    flags.data !== undefined && flags.set.length === 0
      ? path.resolve(flags.data)
      : undefined;
  if (bodyFile === undefined && body.length > MAX_ARGUMENT_CHARACTERS) {
    return `No curl line: the body (${body.length.toLocaleString('en')} characters) is too long for one shell argument. Save it to a file and send it with curl --data-binary @file.`;
  }
  return formatCurlCommand({
    url: settings.url,
    headers: EVENT_HEADERS,
    body,
    bodyFile,
  });
}

function printSummary(
  sent: SentEvent[],
  notAccepted: SentEvent[],
  settings: TriggerSettings,
  output: Output,
): void {
  if (notAccepted.length === 0) {
    if (sent.length > 1) {
      output.info(`All ${sent.length} events were answered 2xx.`);
    }
    return;
  }
  const isSecretRefused = notAccepted.some(
    ({ outcome }) => 'status' in outcome && outcome.status === 401,
  );
  const advice = isSecretRefused
    ? ` The receiver answered 401: check that it expects the secret from ${settings.secret.origin}.`
    : ' Each line above says what came back instead.';
  output.error(
    `${notAccepted.length} of ${sent.length} events were not answered 2xx by ${settings.url.href}.${advice}`,
  );
}
