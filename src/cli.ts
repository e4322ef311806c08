import { readFileSync } from 'node:fs';

import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from 'commander';

import { guardOutputStreams } from './closed-output.js';
import {
  DEFAULT_FORWARD_QUEUE,
  DEFAULT_FORWARD_TIMEOUT,
  DEFAULT_HOST,
  DEFAULT_MAX_BODY,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REQUEST_TIMEOUT,
} from './commands/listen/defaults.js';
import { DEFAULT_COUNTRY, DEFAULT_RATE } from './commands/push/defaults.js';
import { EVENT_KINDS, type EventKind } from './contract/event-kinds.js';
import { AstradialError, EXIT_CODES } from './errors.js';
import { createOutput, type GlobalOptions, type Output } from './output.js';
import { REPORTER_NAMES } from './verify/reporters/reporter-options.js';

function readVersion(): string {
  const packageJson = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string })
    .version;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function createProgram(): Command {
  const program = new Command('astradial')
    .description('Push leads to AstraDial and work with its webhooks.')
    .version(readVersion())
    .option('--json', 'machine-readable output on stdout', false)
    .option('-q, --quiet', 'print only warnings and errors', false)
    .option('--no-color', 'plain text without colours (NO_COLOR works too)')
    .option('--config <file>', 'use this config file instead of searching')
    .option('--debug', 'show stack traces for errors', false)
    .showHelpAfterError('(run with --help for usage)')
    // Each command's help lists --json, --quiet and the rest too: they are
    // given after the command name as often as before it.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();

  program
    .command('push')
    .description(
      'Send every row of a lead CSV to AstraDial as one JSON request, paced under the rate limit.',
    )
    .argument('<file>', 'CSV file, or - for standard input')
    .option(
      '--company <code>',
      'company code: sends to https://events.astradial.com/<code>',
    )
    .option(
      '--url <url>',
      'send to this URL instead (http only to this machine)',
    )
    .option('--secret-file <path>', 'read the webhook secret from this file')
    .option(
      '--secret <value>',
      'the webhook secret (visible to other users in the process list; prefer --secret-file)',
    )
    .option(
      '--rate <n>',
      `requests per second at most (default ${DEFAULT_RATE}; at most 60 for AstraDial)`,
      parseNumber,
    )
    .option(
      '--country <code>',
      `country for phone numbers without a country code (default ${DEFAULT_COUNTRY})`,
    )
    .option(
      '--timezone <zone>',
      "IANA time zone for dates without an offset (default: this machine's)",
    )
    .option(
      '--date-format <format>',
      'date format of the file, e.g. MM/DD/YYYY (default DD/MM/YYYY)',
    )
    .addOption(
      new Option(
        '--encoding <name>',
        'file encoding (default: detected)',
      ).choices(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']),
    )
    .option(
      '--delimiter <char>',
      'cell delimiter: , ; tab or | (default: detected)',
    )
    .option(
      '--map <field=header>',
      'send the column <header> as <field>; repeatable',
      collect,
      [],
    )
    .option(
      '--rejects <path>',
      'where to write rows that were not delivered (default: beside the input)',
    )
    .option(
      '--dry-run',
      'check every row and write the rejects, but send nothing',
      false,
    )
    .option(
      '--state <path>',
      'journal of what was sent, so a rerun resumes (default: <file>.push-state beside the input)',
    )
    .option('--no-state', 'keep no journal: a rerun sends every row again')
    .option(
      '--restart',
      'discard the journal and send every row again, even ones delivered before',
      false,
    )
    .option(
      '--resend-uncertain',
      'send again rows whose request may have reached AstraDial without an answer (risks duplicates)',
      false,
    )
    .addOption(
      new Option(
        '--duplicates <policy>',
        'a row with the same phone number and event date as an earlier row: skip it (and report it), send it anyway, or reject it to the rejects file',
      )
        .choices(['skip', 'send', 'reject'])
        .default('skip'),
    )
    .option(
      '--max-wait <duration>',
      'stop, with the state saved, after only server errors for this long (default 10m)',
    )
    .option(
      '--timeout <duration>',
      'time to wait to connect and for each answer (default 30s)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ ASTRADIAL_WEBHOOK_SECRET=... astradial push leads.csv --company acme
  $ astradial push leads.csv --company acme --secret-file ~/.astradial-secret --dry-run
  $ astradial push export.csv --url http://127.0.0.1:8787/acme --map phone_number="Alt Mobile"

Rerunning the same command resumes: rows delivered before are skipped.`,
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const { push } = await import('./commands/push/index.js');
      process.exitCode = await push(file, command.optsWithGlobals());
    });

  program
    .command('sandbox')
    .description(
      "Serve AstraDial's ingest contract on this machine, to rehearse a push.",
    )
    .option(
      '--port <n>',
      'port to listen on (0 picks a free one)',
      parseNumber,
      8787,
    )
    .option(
      '--rate-limit <n>',
      'requests per second per address before 429 (0: no limit)',
      parseNumber,
      60,
    )
    .option('--secret-file <path>', 'read the expected secret from this file')
    .action(async (_options: unknown, command: Command) => {
      const { sandbox } = await import('./commands/sandbox.js');
      process.exitCode = await sandbox(command.optsWithGlobals());
    });

  program
    .command('listen')
    .description(
      'Receive AstraDial events on this machine: check, show and capture each one.',
    )
    .option(
      '--port <n>',
      'port to listen on (0 picks a free one)',
      parseNumber,
      DEFAULT_PORT,
    )
    .option(
      '--host <address>',
      'address to listen on (0.0.0.0 exposes it to the network)',
      DEFAULT_HOST,
    )
    .option(
      '--cert <file>',
      'serve HTTPS with this PEM certificate (with --key)',
    )
    .option('--key <file>', 'the PEM private key for --cert')
    .option('--secret-file <path>', 'read the expected secret from this file')
    .option(
      '--secret <value>',
      'the expected secret (visible to other users in the process list; prefer --secret-file)',
    )
    .option(
      '--allow-ip <address>',
      'accept only from this address, range (10.0.0.0/8) or preset "astradial"; repeatable',
      collect,
      [],
    )
    .option(
      '--trust-proxy',
      'take the sender from the last X-Forwarded-For entry (behind a proxy or tunnel)',
      false,
    )
    .option(
      '--max-body <size>',
      'largest body accepted, in b, kb or mb up to 100mb, e.g. 512kb',
      DEFAULT_MAX_BODY,
    )
    .option(
      '--rate-limit <n>',
      'requests per second per address before 429 (0: no limit)',
      parseNumber,
      DEFAULT_RATE_LIMIT,
    )
    .option(
      '--request-timeout <duration>',
      "time for a request's headers, and then its body, to arrive",
      DEFAULT_REQUEST_TIMEOUT,
    )
    .option('--path <path>', 'accept events only on this path (404 elsewhere)')
    .option('--strict', 'answer 400 to events that fail their schema', false)
    .option(
      '--events <kinds>',
      'show and count only these kinds: call_log,lead_created,tag_update,lead_push,unknown',
    )
    .option(
      '--verbose',
      'show headers (secret masked) and the whole body',
      false,
    )
    .option('--capture <file>', 'append every request to this NDJSON file')
    .option(
      '--ready-file <path>',
      'once listening, write {"host","port","url"} here',
    )
    .option(
      '--count <n>',
      'exit 0 after this many matching events',
      parseNumber,
    )
    .option(
      '--timeout <duration>',
      'stop after this long; exit 5 if the events did not come',
    )
    .option(
      '--expect-valid',
      'exit 6 as soon as an event fails its schema',
      false,
    )
    .option(
      '--forward-to <url>',
      'after answering, re-send each event, body and headers unchanged, to your app at this URL',
    )
    .option(
      '--forward-timeout <duration>',
      'time for each forward to be answered, up to 24h for breakpoints',
      DEFAULT_FORWARD_TIMEOUT,
    )
    .option(
      '--forward-queue <n>',
      'events waiting to be forwarded at most; past it they are not forwarded, loudly',
      parseNumber,
      DEFAULT_FORWARD_QUEUE,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ ASTRADIAL_WEBHOOK_SECRET=... astradial listen --capture events.ndjson
  $ astradial listen --secret-file ~/.astradial-secret --forward-to http://127.0.0.1:3000/webhooks --forward-timeout 1h
  $ astradial listen --secret-file ~/.astradial-secret --port 0 --ready-file ready.json --count 3 --timeout 2m --expect-valid`,
    )
    .action(async (_options: unknown, command: Command) => {
      const { listen } = await import('./commands/listen/index.js');
      process.exitCode = await listen(command.optsWithGlobals());
    });

  program
    .command('verify')
    .description(
      "Check payloads and listen captures against AstraDial's contract; exit 1 if any is invalid.",
    )
    .argument(
      '<files...>',
      'JSON, NDJSON or capture files, folders, globs, or - for standard input',
    )
    .addOption(
      new Option('--reporter <name>', 'how to report')
        .choices(REPORTER_NAMES)
        .default('text'),
    )
    .option(
      '--type <kind>',
      'check every record as this kind: call_log, lead_created, tag_update or lead_push',
      parseKind,
    )
    .option(
      '--strict',
      'refuse fields the contract does not name, custom lead fields too',
      false,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ astradial verify events.ndjson
  $ astradial verify 'captures/**/*.ndjson' --reporter github
  $ cat payload.json | astradial verify - --type call_log

Exit codes: 0 all valid, 1 some invalid, 2 an input unreadable, nothing
to check, or a usage error.`,
    )
    .action(async (files: string[], _options: unknown, command: Command) => {
      const { verify } = await import('./commands/verify/index.js');
      process.exitCode = await verify(files, command.optsWithGlobals());
    });

  program
    .command('schema')
    .description(
      'Print the JSON Schema of an event kind, made from the checks verify and listen use.',
    )
    .argument(
      '<kind>',
      'call_log, lead_created, tag_update or lead_push',
      parseKind,
    )
    .option(
      '--strict',
      'the schema refusing fields the contract does not name',
      false,
    )
    .addOption(
      new Option('--target <draft>', 'JSON Schema version')
        .choices(['draft-2020-12', 'draft-7'])
        .default('draft-2020-12'),
    )
    .action(async (kind: EventKind, _options: unknown, command: Command) => {
      const { schema } = await import('./commands/schema.js');
      process.exitCode = schema(kind, command.opts());
    });

  addSendOptions(program.command('trigger'))
    .description(
      'Send a realistic AstraDial event (or your own JSON) to a receiver you are building.',
    )
    .argument(
      '<kind>',
      'call_log, lead_created or tag_update',
      parseTriggerKind,
    )
    .option(
      '--set <path=value>',
      'change a field, e.g. duration=0 (JSON values, else text); repeatable',
      collect,
      [],
    )
    .option('--data <file>', "send this file's JSON instead of a sample")
    .option(
      '--count <n>',
      'send this many, each with fresh ids',
      parseNumber,
      1,
    )
    .option(
      '--rate <n>',
      'with --count, events per second at most (default 10)',
      parseNumber,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ ASTRADIAL_WEBHOOK_SECRET=... astradial trigger call_log --to http://127.0.0.1:3000/webhooks
  $ astradial trigger call_log --to http://127.0.0.1:3000/webhooks --set duration=0
  $ astradial trigger lead_created --to https://staging.example.com/hooks --data lead.json --count 5

Exit codes: 0 every event answered 2xx, 1 some were not (or got no
answer), 2 a usage error, 130 Ctrl-C or a closed output.`,
    )
    .action(async (kind: EventKind, _options: unknown, command: Command) => {
      const { trigger } = await import('./commands/trigger/index.js');
      process.exitCode = await trigger(kind, command.optsWithGlobals());
    });

  addSendOptions(program.command('replay'))
    .description(
      'Send events captured by listen again, byte for byte, to a receiver you are building.',
    )
    .argument('<capture>', 'a capture file written by listen --capture')
    .option(
      '--type <kinds>',
      'only these kinds: call_log,lead_created,tag_update,lead_push',
    )
    .option(
      '--call-id <id>',
      'only events with this call_id; repeatable',
      collect,
      [],
    )
    .option(
      '--since <time>',
      'only events received at or after this time (ISO 8601, or a duration ago such as 2h)',
    )
    .option(
      '--until <time>',
      'only events received before this time (ISO 8601, or a duration ago)',
    )
    .option('--rate <n>', 'events per second at most (default 10)', parseNumber)
    .option(
      '--dry-run',
      'list the events that would be sent, and send nothing',
      false,
    )
    .option(
      '--include-refused',
      'also replay the 400s listen kept the body of (not JSON, or --strict)',
      false,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ astradial replay events.ndjson --to http://127.0.0.1:3000/webhooks --dry-run
  $ astradial replay events.ndjson --to http://127.0.0.1:3000/webhooks --type call_log --since 2h
  $ astradial replay events.ndjson --to http://127.0.0.1:3000/webhooks --call-id c-2026-0431

Exit codes: 0 every event sent answered 2xx, 1 some were not, got no
answer, or were changed after capture and not sent, 2 a usage error or an
unreadable capture, 130 Ctrl-C.`,
    )
    .action(async (capture: string, _options: unknown, command: Command) => {
      const { replay } = await import('./commands/replay/index.js');
      process.exitCode = await replay(capture, command.optsWithGlobals());
    });

  return program;
}

/**
 * The options trigger and replay share: where events go, the secret that
 * goes with them, and how long an answer may take.
 */
function addSendOptions(command: Command): Command {
  return command
    .requiredOption('--to <url>', "your receiver's URL")
    .option('--secret-file <path>', 'read the webhook secret from this file')
    .option(
      '--secret <value>',
      'the webhook secret (visible to other users in the process list; prefer --secret-file)',
    )
    .option(
      '--timeout <duration>',
      'time to wait for each answer (default 10s)',
    )
    .option(
      '--insecure',
      'allow plain http:// to another machine (the secret travels readable)',
      false,
    );
}

/** An event AstraDial sends: the kinds of payload but a lead push. */
function parseTriggerKind(value: string): EventKind {
  const kind = toKind(value);
  if (kind === undefined) {
    throw new InvalidArgumentError(
      'Give call_log, lead_created or tag_update.',
    );
  }
  if (kind === 'lead_push') {
    throw new InvalidArgumentError(
      'AstraDial does not send lead pushes; they are what push sends. Give call_log, lead_created or tag_update.',
    );
  }
  return kind;
}

/** An event kind by name; call-log and call_log alike. */
function parseKind(value: string): EventKind {
  const kind = toKind(value);
  if (kind === undefined) {
    throw new InvalidArgumentError(`Give one of ${EVENT_KINDS.join(', ')}.`);
  }
  return kind;
}

function toKind(value: string): EventKind | undefined {
  const name = value.trim().toLowerCase().replaceAll('-', '_');
  return EVENT_KINDS.find((kind) => kind === name);
}

function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw new InvalidArgumentError('Give a number.');
  }
  return number;
}

/** Runs the CLI and settles process.exitCode; never throws. */
export async function run(argv: string[]): Promise<void> {
  guardOutputStreams();
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const globals = program.opts<GlobalOptions>();
    const output = createOutput({
      json: globals.json ?? false,
      quiet: globals.quiet ?? false,
      color: globals.color ?? true,
    });
    process.exitCode = reportError(error, output, globals.debug ?? false);
    if (globals.json && process.exitCode !== EXIT_CODES.ok) {
      output.data(JSON.stringify(describeFailure(error, process.exitCode)));
    }
  }
}

/** With --json, a run that could not start still leaves one JSON object. */
function describeFailure(error: unknown, exitCode: number) {
  const isKnown =
    error instanceof AstradialError || error instanceof CommanderError;
  return {
    outcome: 'error',
    exitCode,
    code: isKnown ? error.code : 'astradial.internal',
    message: error instanceof Error ? error.message : String(error),
  };
}

function reportError(error: unknown, output: Output, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and --version exit 0.
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof AstradialError) {
    output.error(error.message);
    if (debug && error.stack) output.info(error.stack);
    return error.exitCode;
  }
  const detail =
    error instanceof Error ? (error.stack ?? error.message) : String(error);
  output.error(
    `astradial stopped on an unexpected error. This is a bug: please report it to the astradial maintainers with the command you ran and this message.\n${detail}`,
  );
  return EXIT_CODES.internal;
}
