import { AstradialError, EXIT_CODES, type ExitCode } from '../../errors.js';
import { createOutput, createStdoutColors, type Output } from '../../output.js';
import { CaptureFile } from '../../receiver/capture-file.js';
import { Receiver } from '../../receiver/receiver-server.js';
import type { BoundAddress } from '../../webhook/bind-server.js';
import type { RequestRecord } from '../../receiver/request-record.js';
import { formatTailJson, formatTailLine } from '../../receiver/tail-format.js';
import { RateLimitWindow } from '../../webhook/sliding-window.js';
import { digestSecret } from '../../webhook/request-checks.js';
import { writeReadyFile } from './ready-file.js';
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
import { ListenTally } from './tally.js';
import { waitForEnd } from './wait-for-end.js';

export type { ListenFlags } from './settings.js';

/** `astradial listen`: receives, checks, shows and captures events. */
export async function listen(flags: ListenFlags): Promise<ExitCode> {
  const output = createOutput(flags);
  const settings = await resolveListenSettings(flags);
  for (const warning of settings.warnings) output.warn(warning);

  const capture = settings.capturePath
    ? await CaptureFile.open(settings.capturePath)
    : undefined;
  const receiver = createReceiver(settings, capture);
  const tally = new ListenTally();
  receiver.onDecided((record) => tally.add(record));
  receiver.onDecided(createTail(settings, flags, output));

  const address = await bind(receiver, settings, capture);
  if (settings.readyFile) await writeReadyFile(settings.readyFile, address);
  announce(address, settings, output);

  const end = await waitForEnd(receiver, tally, settings);
  output.info('Stopping: finishing the requests in flight.');
  await receiver.close();
  await capture?.close();

  const exitCode = exitCodeFor(end, settings, tally.matching);
  printEndReason(end, settings, output);
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
      maxBodyBytes: settings.maxBodyBytes,
    },
    isStrict: settings.isStrict,
    events: settings.events,
    trustProxy: settings.trustProxy,
    requestTimeoutMs: settings.requestTimeoutMs,
    capture,
  });
}

/**
 * The tail on stdout: JSON lines with --json or when stdout is not a
 * terminal (a pipe, a file, CI), readable lines otherwise. Events left out
 * by --events are not shown; rejected requests always are.
 */
function createTail(
  settings: ListenSettings,
  flags: ListenFlags,
  output: Output,
) {
  const isJson = flags.json || !process.stdout.isTTY;
  const colors = createStdoutColors(flags.color);
  return (record: RequestRecord) => {
    if (record.isMatching === false) return;
    const line = isJson
      ? formatTailJson(record, settings.isVerbose)
      : formatTailLine(record, colors, settings.isVerbose);
    output.data(line);
  };
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
  output.info(
    `Listening on ${where}, checking the secret from ${settings.secret.origin}.${capture} Press Ctrl-C to stop.`,
  );
}
