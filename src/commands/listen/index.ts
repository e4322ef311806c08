import { AstradialError, EXIT_CODES, type ExitCode } from '../../errors.js';
import { createOutput, type Output } from '../../output.js';
import { letYoungGenerationGrow } from '../../runtime/heap-size.js';
import { CaptureFile } from '../../receiver/capture-file.js';
import { Receiver } from '../../receiver/receiver-server.js';
import { createSecretMask } from '../../receiver/secret-mask.js';
import type { BoundAddress } from '../../webhook/bind-server.js';
import { RateLimitWindow } from '../../webhook/sliding-window.js';
import { digestSecret } from '../../webhook/request-checks.js';
import { removeReadyFile, writeReadyFile } from './ready-file.js';
import {
  resolveListenSettings,
  type ListenFlags,
  type ListenSettings,
} from './settings.js';
import {
  exitCodeFor,
  printEndReason,
  printSummary,
  type ListenSummary,
} from './summary.js';
import { startForwarding } from './forwarding.js';
import { createTail } from './tail.js';
import { ListenTally } from './tally.js';
import { waitForEnd } from './wait-for-end.js';

export type { ListenFlags } from './settings.js';

/** `astradial listen`: receives, checks, shows and captures events. */
export async function listen(flags: ListenFlags): Promise<ExitCode> {
  letYoungGenerationGrow();
  const output = createOutput(flags);
  const settings = await resolveListenSettings(flags);
  for (const warning of settings.warnings) output.warn(warning);

  const capture = settings.capturePath
    ? await CaptureFile.open(settings.capturePath)
    : undefined;
  for (const warning of capture?.warnings ?? []) output.warn(warning);
  const receiver = createReceiver(settings, capture);
  const tally = new ListenTally(settings.forward !== undefined);
  const tail = createTail(settings, flags, output);
  receiver.onDecided((record) => tally.add(record));
  receiver.onDecided((record) => tail.showDecided(record));
  const forwarding =
    settings.forward &&
    startForwarding(
      settings.forward,
      settings.secret.value,
      receiver,
      (record, forward) => {
        tally.addForward(forward);
        tail.showForwarded(record, forward);
      },
    );

  // Watching for signals starts before the ready file exists: a script
  // that sends SIGTERM as soon as it sees the file must get a clean stop.
  const ended = waitForEnd(receiver, tally, settings);
  const address = await bind(receiver, settings, capture);
  if (settings.readyFile) {
    // A script waits for this file: without it, serving would go unseen.
    await writeReadyFile(settings.readyFile, address).catch(async (error) => {
      await receiver.close();
      await capture?.close();
      throw error;
    });
  }
  announce(address, settings, output);

  const end = await ended;
  output.info('Stopping: finishing the requests in flight.');
  await receiver.close();
  if (settings.readyFile) await removeReadyFile(settings.readyFile);
  await capture?.close();
  await forwarding?.finish(output);
  tail.flush();

  const exitCode = exitCodeFor(end, settings, tally.matching);
  printEndReason(end, settings, output);
  warnOfUnforwarded(tally, output);
  const summary: ListenSummary = {
    type: 'summary',
    outcome: end.outcome,
    exitCode,
    ...tally.counts,
  };
  if (flags.json) output.data(JSON.stringify(summary));
  else printSummary(summary, output);
  return exitCode;
}

function createReceiver(
  settings: ListenSettings,
  capture: CaptureFile | undefined,
): Receiver {
  return new Receiver({
    host: settings.host,
    port: settings.port,
    tls: settings.tls,
    rules: {
      allowList: settings.allowList,
      rateLimiter:
        settings.rateLimit > 0
          ? new RateLimitWindow(settings.rateLimit)
          : undefined,
      rateLimit: settings.rateLimit,
      path: settings.path,
      secretDigest: digestSecret(Buffer.from(settings.secret.value, 'utf8')),
      secretMask: createSecretMask(settings.secret.value),
      maxBodyBytes: settings.maxBodyBytes,
    },
    isStrict: settings.isStrict,
    events: settings.events,
    trustProxy: settings.trustProxy,
    requestTimeoutMs: settings.requestTimeoutMs,
    capture,
  });
}

async function bind(
  receiver: Receiver,
  settings: ListenSettings,
  capture: CaptureFile | undefined,
): Promise<BoundAddress> {
  try {
    return await receiver.listen();
  } catch (error) {
    await capture?.close();
    throw bindFailed(error, settings);
  }
}

function bindFailed(error: unknown, settings: ListenSettings): AstradialError {
  const where = `${settings.host}:${settings.port}`;
  const code = (error as NodeJS.ErrnoException).code;
  const advice: Record<string, string> = {
    EADDRINUSE: `${where} is already in use. Stop the program using it, or pick another port with --port (0 picks a free one).`,
    EADDRNOTAVAIL: `${settings.host} is not an address of this machine. Use --host 127.0.0.1 (the default) or one of this machine's addresses.`,
    EACCES: `permission to use ${where} was denied (ports below 1024 need privileges). Pick a port above 1023 with --port.`,
  };
  const reason =
    (code && advice[code]) ??
    `${code ?? String(error)}. Check --host and --port.`;
  return new AstradialError(
    'listen.bindFailed',
    `Could not listen on ${where}: ${reason}`,
    EXIT_CODES.bindFailed,
    { cause: error },
  );
}

function announce(
  address: BoundAddress,
  settings: ListenSettings,
  output: Output,
): void {
  const where = settings.path
    ? `${address.url}${settings.path}`
    : `${address.url} (any path)`;
  const capture = settings.capturePath
    ? ` Capturing to ${settings.capturePath}.`
    : '';
  const forward = settings.forward
    ? ` Forwarding to ${settings.forward.url.href}.`
    : '';
  output.info(
    `Listening on ${where}, checking the secret from ${settings.secret.origin}.${capture}${forward} Press Ctrl-C to stop.`,
  );
}

/** Events answered but never sent to the app: a warning even with --quiet. */
function warnOfUnforwarded(tally: ListenTally, output: Output): void {
  const forwarded = tally.counts.forwarded;
  if (!forwarded) return;
  const unsent = forwarded.overQueueBound + forwarded.notForwarded;
  if (unsent === 0) return;
  output.warn(
    `${unsent} events were answered and captured but not forwarded to the app (${forwarded.overQueueBound} over the --forward-queue bound, ${forwarded.notForwarded} not forwarded at shutdown).`,
  );
}
