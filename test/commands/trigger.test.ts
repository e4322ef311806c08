import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { checkEvent } from '../../src/contract/check-event.js';
import {
  closedPort,
  headerValues,
  useAppServer,
  type AppRequest,
} from '../helpers/app-server.js';
import {
  expectCapturedOnce,
  expectNoSecret,
  SECRET,
  useListenFixture,
} from '../helpers/listen-fixture.js';
import { runCli, startCli, type CliResult } from '../helpers/run-cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const startListen = useListenFixture();
const startAppServer = useAppServer();
const makeDirectory = useTempDirectories();

const KINDS = ['call_log', 'lead_created', 'tag_update'] as const;
const CALL_ID = /^c-\d{8}-[0-9a-f]{8}$/;
/** Every header trigger's requests carry, and no other. */
const HEADER_NAMES = [
  'host',
  'connection',
  'content-type',
  'user-agent',
  'x-webhook-secret',
  'content-length',
];

/**
 * Runs the built `astradial trigger` in an empty directory (so no config
 * file is found) with the test secret in the environment, and checks that
 * the secret shows nowhere in what it printed.
 */
async function trigger(
  args: string[],
  options: { env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  const result = await runCli({
    args: ['trigger', ...args],
    cwd: await makeDirectory(),
    env: { ASTRADIAL_WEBHOOK_SECRET: SECRET, ...options.env },
    killAfterMs: 30_000,
  });
  expectNoSecret(result.stdout, result.stderr);
  return result;
}

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function curlLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('curl '));
}

/** The body a printed curl command sends: its last, single-quoted word. */
function curlBodyOf(command: string): string {
  const quoted = /--data-binary '((?:[^']|'\\'')*)'$/s.exec(command)?.[1];
  if (quoted === undefined) throw new Error(`No body in ${command}`);
  return quoted.replaceAll(`'\\''`, "'");
}

/** The curl command trigger printed last; it may span lines. */
function lastCurlCommand(stderr: string): string {
  return stderr.slice(stderr.lastIndexOf('curl -X POST ')).trimEnd();
}

async function writeTemp(name: string, content: string | Buffer) {
  const file = path.join(await makeDirectory(), name);
  await writeFile(file, content);
  return file;
}

/** The checks every request trigger sent must pass. */
function expectTriggerRequest(request: AppRequest, pathAndQuery: string) {
  expect(request.method).toBe('POST');
  expect(request.path).toBe(pathAndQuery);
  const names = request.rawHeaders.filter((_, index) => index % 2 === 0);
  expect(names.map((name) => name.toLowerCase()).sort()).toEqual(
    [...HEADER_NAMES].sort(),
  );
  expect(headerValues(request, 'Content-Type')).toEqual(['application/json']);
  expect(headerValues(request, 'User-Agent')).toEqual(['astradial-cli']);
  expect(headerValues(request, 'X-Webhook-Secret')).toEqual([SECRET]);
  expect(headerValues(request, 'Content-Length')).toEqual([
    String(request.body.length),
  ]);
}

/** Runs a printed curl command in bash with the secret in the environment. */
function runCurl(command: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', `${command} --silent`], {
      env: { PATH: process.env.PATH, ASTRADIAL_WEBHOOK_SECRET: SECRET },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('trigger at astradial listen', () => {
  test.each(KINDS)(
    'a %s sample is captured byte for byte, answered 200 and valid as its kind',
    async (kind) => {
      const listener = await startListen();

      const result = await trigger([kind, '--to', listener.url, '--json']);
      await listener.stop();
      const records = await listener.readCapture();

      expect(result.exitCode).toBe(0);
      const [sent, summary] = jsonLines(result.stdout);
      expect(sent).toMatchObject({
        type: 'sent',
        kind,
        id: expect.stringMatching(CALL_ID),
        accepted: true,
        outcome: 'ok',
        status: 200,
        latencyMs: expect.any(Number),
        bodyStart: '{"status":"success"}',
      });
      expect(summary).toEqual({
        type: 'summary',
        sent: 1,
        accepted: 1,
        notAccepted: 0,
        failed: 0,
        exitCode: 0,
      });
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(record).toMatchObject({ status: 200, kind, valid: true });
      const body = curlBodyOf(lastCurlCommand(result.stderr));
      expect(JSON.parse(body)).toMatchObject({ call_id: sent!.id });
      expectCapturedOnce(records, [body]);
      expect(record!.headers['content-type']).toBe('application/json');
      expect(record!.headers['user-agent']).toBe('astradial-cli');
    },
  );
});

describe('trigger at a plain server', () => {
  test.each(KINDS)(
    'a %s sample arrives with exactly our headers and a compact, schema-valid body',
    async (kind) => {
      const app = await startAppServer();

      const result = await trigger([kind, '--to', `${app.url}/hooks?team=a`]);

      expect(result.exitCode).toBe(0);
      expect(app.requests).toHaveLength(1);
      const [request] = app.requests;
      expectTriggerRequest(request!, '/hooks?team=a');
      const event = JSON.parse(request!.body.toString('utf8')) as Record<
        string,
        unknown
      >;
      expect(request!.body.toString('utf8')).toBe(JSON.stringify(event));
      const check = checkEvent(event, { isStrict: true });
      expect(check.kind).toBe(kind);
      expect(check.problems).toEqual([]);
      expect(event.call_id).toMatch(CALL_ID);
      if (kind !== 'call_log') expect(event.customer_id).toBe('acme');
      expect(result.stdout).toMatch(
        new RegExp(
          `^200 ${kind} +${String(event.call_id)}  \\d+ ms  \\{"received":true\\}\\n$`,
        ),
      );
      expect(result.stderr).toContain(
        `Sending 1 sample ${kind} event to ${app.url}/hooks?team=a, with the secret from ASTRADIAL_WEBHOOK_SECRET.`,
      );
    },
  );

  test('the company code from the environment becomes customer_id', async () => {
    const app = await startAppServer();

    await trigger(['lead_created', '--to', app.url], {
      env: { ASTRADIAL_COMPANY: 'globex' },
    });

    const event = JSON.parse(app.requests[0]!.body.toString('utf8'));
    expect(event.customer_id).toBe('globex');
  });

  test('the secret can come from --secret-file; --secret works with a warning', async () => {
    const app = await startAppServer();
    const secretFile = await writeTemp('secret.txt', `${SECRET}\n`);

    const fromFile = await trigger(
      ['tag_update', '--to', app.url, '--secret-file', secretFile],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );
    const fromFlag = await runCli({
      args: ['trigger', 'tag_update', '--to', app.url, '--secret', SECRET],
      cwd: await makeDirectory(),
    });

    expect(fromFile.exitCode).toBe(0);
    expect(fromFile.stderr).toContain(`with the secret from ${secretFile}.`);
    expect(fromFlag.exitCode).toBe(0);
    expect(fromFlag.stderr).toContain(
      'The secret given with --secret is visible to other users',
    );
    expect(
      app.requests.map((request) => headerValues(request, 'X-Webhook-Secret')),
    ).toEqual([[SECRET], [SECRET]]);
  });
});

describe('trigger --set', () => {
  test.each([
    ['a number', 'duration=0', { duration: 0 }],
    [
      'text that is not JSON',
      'answered_agent.number=+919800000001',
      { answered_agent: { number: '+919800000001' } },
    ],
    [
      'a new nested field',
      'crm.lead.stage=qualified',
      { crm: { lead: { stage: 'qualified' } } },
    ],
    [
      'a list item by [n]',
      'call_flow[0].dialst=Busy',
      { call_flow: [{ type: 'voice-streaming', dialst: 'Busy' }] },
    ],
    [
      'a list item by .n',
      'call_flow.0.dialst=NoAnswer',
      { call_flow: [{ type: 'voice-streaming', dialst: 'NoAnswer' }] },
    ],
    [
      'a JSON object',
      'answered_agent={"number":"+919800000002","name":"Ravi"}',
      { answered_agent: { number: '+919800000002', name: 'Ravi' } },
    ],
    ['text in JSON quotes', 'call_id="123"', { call_id: '123' }],
  ])('%s: %s', async (_name, setting, expected) => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--set',
      setting,
    ]);

    expect(result.exitCode).toBe(0);
    const event = JSON.parse(app.requests[0]!.body.toString('utf8'));
    expect(event).toMatchObject(expected);
    expect(event.direction).toBe('inbound');
  });

  test('a path through a value without fields is a usage error naming the --set, and nothing is sent', async () => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--set',
      'duration=0',
      '--set',
      'call_id.prefix=x',
      '--json',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '--set call_id.prefix=x: call_id is text, not an object, so it holds no field "prefix".',
    );
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ code: 'trigger.invalidSet', exitCode: 2 }),
    ]);
    expect(app.requests).toHaveLength(0);
  });

  test('a change that breaks the contract is warned about and sent anyway', async () => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--set',
      'duration=-5',
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      /warning The event breaks the call_log contract, and is sent as it is: duration: expected integer of 0 or more \(seconds\), found -5\./,
    );
    expect(JSON.parse(app.requests[0]!.body.toString('utf8')).duration).toBe(
      -5,
    );
  });
});

describe('trigger --data', () => {
  const PRETTY = `{\n  "customer_id": "acme",\n  "call_id": "c-fixed-1",\n  "tag": ["r\\u00e9ponse", "नमस्ते"]\n}\n`;

  test('sends the file byte for byte, the same body each time with --count', async () => {
    const app = await startAppServer();
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(PRETTY),
    ]);
    const file = await writeTemp('tag.json', withBom);

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--data',
      file,
      '--count',
      '3',
    ]);

    expect(result.exitCode).toBe(0);
    expect(app.requests).toHaveLength(3);
    for (const request of app.requests) {
      expectTriggerRequest(request, '/');
      expect(request.body).toEqual(withBom);
    }
    expect(result.stderr).toContain(
      `Sending ${file} 3 times, the same body each time (only samples get fresh ids)`,
    );
    expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(result.stdout).toMatch(/^200 tag_update +c-fixed-1 /);
    expect(curlLines(result.stderr)).toHaveLength(1);
  });

  test('--set applies on top of the file, which is then sent as compact JSON', async () => {
    const app = await startAppServer();
    const file = await writeTemp('tag.json', PRETTY);

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--data',
      file,
      '--set',
      'tag[2]=visit',
      '--set',
      'customer_id=globex',
    ]);

    expect(result.exitCode).toBe(0);
    expect(app.requests[0]!.body.toString('utf8')).toBe(
      '{"customer_id":"globex","call_id":"c-fixed-1","tag":["réponse","नमस्ते","visit"]}',
    );
  });

  test('a file that is not JSON is a usage error with the line and column', async () => {
    const app = await startAppServer();
    const file = await writeTemp(
      'broken.json',
      '{\n  "call_id": "c-1",\n  "tag": [1, 2,]\n}\n',
    );

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--data',
      file,
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `--data ${file.replaceAll('/', '\\/')} is not valid JSON: Unexpected token '\\]' at line 3, column 16\\. Fix the file`,
      ),
    );
    expect(app.requests).toHaveLength(0);
  });

  test('a file that is not UTF-8 is refused', async () => {
    const app = await startAppServer();
    const file = await writeTemp(
      'latin1.json',
      Buffer.from('{"customer_id":"caf\xe9"}', 'latin1'),
    );

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--data',
      file,
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not UTF-8 text, and JSON must be.');
    expect(app.requests).toHaveLength(0);
  });
});

describe('trigger --count', () => {
  test('sends that many samples, each with fresh ids, and prints a curl command for the first', async () => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--count',
      '4',
      '--json',
    ]);

    expect(result.exitCode).toBe(0);
    expect(app.requests).toHaveLength(4);
    const events = app.requests.map(
      (request) =>
        JSON.parse(request.body.toString('utf8')) as Record<string, unknown>,
    );
    const callIds = events.map((event) => event.call_id);
    expect(new Set(callIds).size).toBe(4);
    for (const event of events) {
      expect(checkEvent(event, { isStrict: true }).problems).toEqual([]);
    }
    const lines = jsonLines(result.stdout);
    expect(lines.slice(0, 4).map((line) => line.id)).toEqual(callIds);
    expect(lines[4]).toEqual({
      type: 'summary',
      sent: 4,
      accepted: 4,
      notAccepted: 0,
      failed: 0,
      exitCode: 0,
    });
    const curls = curlLines(result.stderr);
    expect(curls).toHaveLength(1);
    expect(curls[0]).toContain(String(callIds[0]));
  });

  test('--count is paced at --rate: never more than the rate in any second', async () => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--count',
      '8',
      '--rate',
      '4',
    ]);

    expect(result.exitCode).toBe(0);
    const times = app.requests.map((request) => request.receivedAt);
    expect(times).toHaveLength(8);
    for (const [index, time] of times.entries()) {
      const inSecond = times.filter(
        (other) => other >= time && other < time + 1000,
      );
      expect(inSecond.length, `from request ${index}`).toBeLessThanOrEqual(4);
    }
  });

  test.each(['0', '1.5'])('--count %s is a usage error', async (count) => {
    const app = await startAppServer();

    const result = await trigger([
      'call_log',
      '--to',
      app.url,
      '--count',
      count,
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `--count ${count} is not a whole number from 1 or more.`,
    );
    expect(app.requests).toHaveLength(0);
  });
});

describe('the printed curl command', () => {
  test('run in bash with the secret in the environment, it sends the same request', async () => {
    const app = await startAppServer();

    const result = await trigger(['call_log', '--to', `${app.url}/hooks?a=1`]);
    const command = lastCurlCommand(result.stderr);
    const exitCode = await runCurl(command);

    expect(command).not.toContain(SECRET);
    expect(command).toContain(
      '-H "X-Webhook-Secret: $ASTRADIAL_WEBHOOK_SECRET"',
    );
    expect(exitCode).toBe(0);
    expectSameRequest(app.requests);
  });

  test('a body with quotes, dollars, backticks and line breaks survives the shell', async () => {
    const app = await startAppServer();
    const file = await writeTemp(
      'tricky.json',
      `{\n  "customer_id": "it's $HOME \`id\` \\\\ \\" ok",\n  "call_id": "c-'1'",\n  "tag": ["é", "😀"]\n}\n`,
    );

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--data',
      file,
    ]);
    const exitCode = await runCurl(lastCurlCommand(result.stderr));

    expect(result.exitCode).toBe(0);
    expect(exitCode).toBe(0);
    expectSameRequest(app.requests);
  });
});

/** trigger's request, then curl's: the same but for curl's own headers. */
function expectSameRequest(requests: AppRequest[]): void {
  expect(requests).toHaveLength(2);
  const [fromTrigger, fromCurl] = requests as [AppRequest, AppRequest];
  expect(fromCurl.method).toBe(fromTrigger.method);
  expect(fromCurl.path).toBe(fromTrigger.path);
  for (const name of ['Content-Type', 'User-Agent', 'X-Webhook-Secret']) {
    expect(headerValues(fromCurl, name)).toEqual(
      headerValues(fromTrigger, name),
    );
  }
  expect(headerValues(fromCurl, 'X-Webhook-Secret')).toEqual([SECRET]);
  expect(fromCurl.body).toEqual(fromTrigger.body);
}

describe('answers that are not 2xx', () => {
  test.each([
    [500, 'Each line above says what came back instead.'],
    [404, 'Each line above says what came back instead.'],
    [
      401,
      'The receiver answered 401: check that it expects the secret from ASTRADIAL_WEBHOOK_SECRET.',
    ],
  ])('%i exits 1 and says so', async (status, advice) => {
    const app = await startAppServer({
      status,
      answer: `{"error":"nope","echo":"${SECRET}"}`,
    });

    const result = await trigger(['lead_created', '--to', app.url]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${status} lead_created +c-\\S+  \\d+ ms  \\{"error":"nope","echo":"\\*{8}"\\}\\n$`,
      ),
    );
    expect(result.stderr).toContain(
      `error 1 of 1 events were not answered 2xx by ${app.url}/. ${advice}`,
    );
  });

  test('one refused event of several makes the run exit 1, and --json counts it', async () => {
    const app = await startAppServer({ status: 503 });

    const result = await trigger([
      'tag_update',
      '--to',
      app.url,
      '--count',
      '2',
      '--json',
    ]);

    expect(result.exitCode).toBe(1);
    const lines = jsonLines(result.stdout);
    expect(lines.slice(0, 2)).toEqual([
      expect.objectContaining({ accepted: false, status: 503 }),
      expect.objectContaining({ accepted: false, status: 503 }),
    ]);
    expect(lines[2]).toEqual({
      type: 'summary',
      sent: 2,
      accepted: 0,
      notAccepted: 2,
      failed: 0,
      exitCode: 1,
    });
  });

  test('a receiver that is not running: exit 1 with the reason', async () => {
    const port = await closedPort();

    const result = await trigger([
      'call_log',
      '--to',
      `http://127.0.0.1:${port}/hooks`,
      '--json',
    ]);

    expect(result.exitCode).toBe(1);
    expect(jsonLines(result.stdout)[0]).toMatchObject({
      type: 'sent',
      accepted: false,
      outcome: 'failed',
      reason: `connection refused: is the app running on 127.0.0.1:${port}?`,
    });
    expect(jsonLines(result.stdout)[1]).toMatchObject({
      type: 'summary',
      notAccepted: 0,
      failed: 1,
    });
  });
});

describe('usage errors, found before anything is sent', () => {
  test('plain http to another machine is refused', async () => {
    const result = await trigger([
      'call_log',
      '--to',
      'http://192.0.2.1/hooks',
      '--json',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'Refusing to send events and the webhook secret to 192.0.2.1 over plain http',
    );
    expect(result.stderr).not.toContain('Sending');
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ code: 'target.insecureUrl', exitCode: 2 }),
    ]);
  });

  test('with --insecure, plain http to another machine passes the target check', async () => {
    // The --set mistake stops the run after the target is checked and
    // before anything is sent, so nothing goes to 192.0.2.1.
    const result = await trigger([
      'call_log',
      '--to',
      'http://192.0.2.1/hooks',
      '--insecure',
      '--set',
      'no-equals-sign',
      '--json',
    ]);

    expect(result.exitCode).toBe(2);
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ code: 'trigger.invalidSet' }),
    ]);
  });

  test('no secret anywhere: exit 2 saying where to put one', async () => {
    const app = await startAppServer();
    const config = await writeTemp('empty.json', '{}');

    const result = await trigger(
      ['call_log', '--to', app.url, '--config', config, '--json'],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'No webhook secret to send in the X-Webhook-Secret header. Set ASTRADIAL_WEBHOOK_SECRET, or pass --secret-file <path>, or put secretFile in the config file.',
    );
    expect(jsonLines(result.stdout)).toEqual([
      expect.objectContaining({ code: 'trigger.noSecret', exitCode: 2 }),
    ]);
    expect(app.requests).toHaveLength(0);
  });

  test('lead_push is not an event AstraDial sends', async () => {
    const result = await trigger(['lead_push', '--to', 'http://127.0.0.1:9/']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('AstraDial does not send lead pushes');
  });
});

describe('trigger: tester findings', () => {
  test('events.astradial.com is refused: AstraDial takes lead pushes, not the events it sends', async () => {
    const result = await trigger([
      'call_log',
      '--to',
      'https://events.astradial.com/acme',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /events\.astradial\.com, AstraDial's own ingest/,
    );
  });

  test('an output closed by its reader stops the run with 130 instead of sending on', async () => {
    const app = await startAppServer();
    const run = startCli({
      args: [
        'trigger',
        'call_log',
        '--to',
        app.url,
        '--count',
        '40',
        '--rate',
        '20',
      ],
      cwd: await makeDirectory(),
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
      killAfterMs: 30_000,
    });
    await once(run.child.stdout!, 'data');
    run.child.stdout!.destroy();

    const result = await run.result;

    expect(result.exitCode).toBe(130);
    expect(app.requests.length).toBeLessThan(40);
  });

  test('--data sent unchanged gives a curl line that reads the file, and a secret from a file gives a word about the variable', async () => {
    const app = await startAppServer();
    const directory = await makeDirectory();
    const data = path.join(directory, 'big event.json');
    await writeFile(
      data,
      JSON.stringify({
        customer_id: 'acme',
        call_id: 'c-1',
        tag: ['x'.repeat(200_000)],
      }),
    );
    const secretFile = path.join(directory, 'secret.txt');
    await writeFile(secretFile, `${SECRET}\n`);

    const result = await trigger(
      [
        'tag_update',
        '--to',
        app.url,
        '--data',
        data,
        '--secret-file',
        secretFile,
      ],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );

    expect(result.exitCode).toBe(0);
    expect(curlLines(result.stderr)[0]).toMatch(
      /--data-binary '@[^']*big event\.json'$/,
    );
    expect(result.stderr).toMatch(/export the variable before running it/);
  });
});
