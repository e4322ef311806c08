import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { DateTime } from 'luxon';
import { afterEach, describe, expect, test } from 'vitest';

import {
  closedPort,
  headerValues,
  useAppServer,
  type AppServer,
} from '../helpers/app-server.js';
import {
  expectNoSecret,
  postEvent,
  SECRET,
  sha256,
  useListenFixture,
} from '../helpers/listen-fixture.js';
import { PROJECT_ROOT, runCli, startCli } from '../helpers/run-cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';
import { captureLine, refusedLine, SAMPLES } from './replay/capture-lines.js';

/** Exit codes by name, as README.md's table fixes them. */
const ALL_ACCEPTED = 0;
const NOT_ACCEPTED = 1;
const USAGE = 2;
const INTERRUPTED = 130;

/** The secret the user has now, unlike the one the capture was made with. */
const CURRENT_SECRET = 'Now-Secret-5d21e0';
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

const startListen = useListenFixture();
const startAppServer = useAppServer();
const makeDirectory = useTempDirectories();

type ReportLine = Record<string, unknown> & { type: string };

function replayCli(args: string[], env: Record<string, string> = {}) {
  return runCli({
    args: ['replay', ...args],
    env: { ASTRADIAL_WEBHOOK_SECRET: SECRET, ...env },
    killAfterMs: 60_000,
  });
}

function reportOf(stdout: string): ReportLine[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReportLine);
}

function linesOfType(stdout: string, type: string): ReportLine[] {
  return reportOf(stdout).filter((line) => line.type === type);
}

function summaryOf(stdout: string): ReportLine {
  const last = reportOf(stdout).at(-1)!;
  expect(last.type).toBe('summary');
  return last;
}

/** Writes capture lines to a fresh file and returns its path. */
async function writeCapture(lines: string[]): Promise<string> {
  const file = path.join(await makeDirectory(), 'capture.ndjson');
  await writeFile(file, lines.join(''));
  return file;
}

function callIdsOf(app: AppServer): string[] {
  return app.requests.map(
    (request) =>
      (JSON.parse(request.body.toString()) as { call_id: string }).call_id,
  );
}

describe('astradial replay', () => {
  test('a capture made by listen, replayed to a second listen, arrives identical: the same bytes, content types and order, and the 401 is not replayed', async () => {
    const original = await startListen();
    const spaced = Buffer.concat([
      BYTE_ORDER_MARK,
      Buffer.from(
        '{ "customer_id" : "acme",\t"call_id":"c-2" ,  "tag" : [ "hot" ] }\r\n',
      ),
    ]);
    const accepted: Array<{ body: string | Buffer; contentType: string }> = [
      {
        body: JSON.stringify(SAMPLES.callLog('c-1')),
        contentType: 'application/json',
      },
      { body: spaced, contentType: 'application/json; charset=UTF-8' },
      {
        body: JSON.stringify(SAMPLES.leadCreated('c-3'), null, 2),
        contentType: 'Application/JSON',
      },
    ];
    const [first, ...rest] = accepted;
    expect(
      (
        await postEvent(original.url, first!.body, {
          'content-type': first!.contentType,
        })
      ).status,
    ).toBe(200);
    const refused = await postEvent(original.url, '{"call_id":"c-401"}', {
      'x-webhook-secret': 'not-the-secret',
    });
    expect(refused.status).toBe(401);
    for (const { body, contentType } of rest) {
      const answer = await postEvent(original.url, body, {
        'content-type': contentType,
      });
      expect(answer.status).toBe(200);
    }
    await original.stop();

    const copy = await startListen();
    const result = await replayCli([
      original.capturePath,
      '--to',
      copy.url,
      '--json',
    ]);
    await copy.stop();

    expect(result.exitCode).toBe(ALL_ACCEPTED);
    const originals = (await original.readCapture()).filter(
      (record) => record.status === 200,
    );
    const copies = await copy.readCapture();
    expect(copies.map((record) => record.status)).toEqual([200, 200, 200]);
    expect(copies.map((record) => record.bodySha256)).toEqual(
      accepted.map(({ body }) => sha256(body)),
    );
    expect(copies.map((record) => record.bodySha256)).toEqual(
      originals.map((record) => record.bodySha256),
    );
    expect(Buffer.from(copies[1]!.bodyBase64!, 'base64')).toEqual(spaced);
    expect(copies.map((record) => record.headers['content-type'])).toEqual(
      accepted.map(({ contentType }) => contentType),
    );
    expect(linesOfType(result.stdout, 'sent')).toMatchObject([
      { kind: 'call_log', id: 'c-1', accepted: true, status: 200, line: 1 },
      { kind: 'tag_update', id: 'c-2', accepted: true, line: 3 },
      { kind: 'lead_created', id: 'c-3', accepted: true, line: 4 },
    ]);
    expect(summaryOf(result.stdout)).toMatchObject({
      outcome: 'done',
      exitCode: 0,
      selected: 3,
      sent: 3,
      accepted: 3,
      refused: 1,
      tampered: 0,
    });
    expectNoSecret(result.stdout, result.stderr);
  });

  test('each event goes to the --to URL with its captured Content-Type, the current secret and astradial-cli, and no other captured header; an echoed secret is masked', async () => {
    const app = await startAppServer({
      answer: `{"seen":"${CURRENT_SECRET}"}`,
    });
    const capture = await writeCapture([
      captureLine({
        body: SAMPLES.callLog('c-1'),
        contentType: 'application/json; charset=utf-8',
      }),
    ]);

    const result = await replayCli(
      [capture, '--to', `${app.url}/hooks?team=1`],
      { ASTRADIAL_WEBHOOK_SECRET: CURRENT_SECRET },
    );

    expect(result.exitCode).toBe(ALL_ACCEPTED);
    const [received] = app.requests;
    expect(received!.path).toBe('/hooks?team=1');
    expect(headerValues(received!, 'Content-Type')).toEqual([
      'application/json; charset=utf-8',
    ]);
    expect(headerValues(received!, 'X-Webhook-Secret')).toEqual([
      CURRENT_SECRET,
    ]);
    expect(headerValues(received!, 'User-Agent')).toEqual(['astradial-cli']);
    expect(headerValues(received!, 'X-Trace-Id')).toEqual([]);
    expect(received!.rawHeaders).not.toContain('********');
    expect(result.stdout).toContain('{"seen":"********"}');
    expectNoSecret(result.stdout, result.stderr);
    expect(result.stdout + result.stderr).not.toContain(CURRENT_SECRET);
  });

  describe('filters', () => {
    const now = Date.now();
    const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000);
    const iso = (hours: number) => hoursAgo(hours).toISOString();
    const inIndia = (hours: number) =>
      DateTime.fromJSDate(hoursAgo(hours)).setZone('UTC+5:30').toISO()!;
    const local = (hours: number) =>
      DateTime.fromJSDate(hoursAgo(hours)).toISO({ includeOffset: false })!;

    /** Line by line: ids c-10 (5h ago) … c-12 (30 min ago); line 5 a 401. */
    const lines = [
      captureLine({ body: SAMPLES.callLog('c-10'), receivedAt: hoursAgo(5) }),
      captureLine({
        body: SAMPLES.leadCreated('c-11'),
        receivedAt: hoursAgo(3),
      }),
      captureLine({
        body: SAMPLES.tagUpdate('c-10'),
        receivedAt: hoursAgo(1.5),
      }),
      captureLine({ body: SAMPLES.callLog('c-12'), receivedAt: hoursAgo(0.5) }),
      refusedLine(401, 'wrong value in X-Webhook-Secret'),
    ];

    test.each([
      { flags: ['--type', 'call_log'], lines: [1, 4] },
      { flags: ['--type', 'lead_created,tag-update'], lines: [2, 3] },
      { flags: ['--call-id', 'c-10'], lines: [1, 3] },
      { flags: ['--call-id', 'c-10', '--call-id', 'c-12'], lines: [1, 3, 4] },
      { flags: ['--since', '2h'], lines: [3, 4] },
      { flags: ['--until', '120m'], lines: [1, 2] },
      { flags: ['--since', '4h', '--until', '1h'], lines: [2, 3] },
      { flags: ['--since', iso(4), '--until', iso(1)], lines: [2, 3] },
      { flags: ['--since', inIndia(4), '--until', inIndia(1)], lines: [2, 3] },
      { flags: ['--since', local(4), '--until', local(1)], lines: [2, 3] },
      { flags: ['--type', 'call_log', '--since', '1h'], lines: [4] },
      { flags: ['--call-id', 'c-99'], lines: [] },
    ])('$flags selects lines $lines', async ({ flags, lines: expected }) => {
      const capture = await writeCapture(lines);

      const result = await replayCli([
        capture,
        '--to',
        'http://127.0.0.1:9/hooks',
        '--dry-run',
        '--json',
        ...flags,
      ]);

      expect(result.exitCode).toBe(ALL_ACCEPTED);
      const planned = linesOfType(result.stdout, 'planned');
      expect(planned.map((line) => line.line)).toEqual(expected);
      expect(summaryOf(result.stdout)).toMatchObject({
        selected: expected.length,
        filteredOut: 4 - expected.length,
        refused: 1,
        sent: 0,
      });
    });

    test('a filtered replay sends exactly the events it selects, in captured order', async () => {
      const app = await startAppServer();
      const capture = await writeCapture(lines);

      const result = await replayCli([
        capture,
        '--to',
        app.url,
        '--call-id',
        'c-10',
      ]);

      expect(result.exitCode).toBe(ALL_ACCEPTED);
      expect(app.requests.map((request) => sha256(request.body))).toEqual([
        sha256(JSON.stringify(SAMPLES.callLog('c-10'))),
        sha256(JSON.stringify(SAMPLES.tagUpdate('c-10'))),
      ]);
      expect(result.stdout).toMatch(/^200 call_log +c-10 /m);
      expect(result.stdout).toMatch(/^200 tag_update +c-10 /m);
      expect(result.stderr).toMatch(
        /Replayed 2 of 2 events .*2 accepted.*\nNot replayed: 2 filtered out, 1 refused by listen\./,
      );
    });

    test('--since after --until is refused before anything is read', async () => {
      const capture = await writeCapture(lines);

      const result = await replayCli([
        capture,
        '--to',
        'http://127.0.0.1:9/hooks',
        '--since',
        '1h',
        '--until',
        '2h',
      ]);

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toMatch(/--since 1h .* is not before --until 2h/);
    });

    test('an unknown --type is refused, naming the kinds', async () => {
      const capture = await writeCapture(lines);

      const result = await replayCli([
        capture,
        '--to',
        'http://127.0.0.1:9/hooks',
        '--type',
        'call_logs',
      ]);

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toContain(
        'call_log, lead_created, tag_update, lead_push, unknown',
      );
    });
  });

  test('--dry-run sends nothing and lists the events in order, with no secret needed', async () => {
    const app = await startAppServer();
    const capture = await writeCapture([
      captureLine({ body: SAMPLES.callLog('c-1') }),
      captureLine({ body: SAMPLES.tagUpdate('c-2') }),
    ]);

    const result = await runCli({
      args: ['replay', capture, '--to', app.url, '--dry-run'],
    });

    expect(result.exitCode).toBe(ALL_ACCEPTED);
    expect(app.requests).toHaveLength(0);
    const listed = result.stdout.split('\n').filter(Boolean);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/^would send call_log +c-1 +line 1, received /);
    expect(listed[1]).toMatch(/^would send tag_update +c-2 +line 2, received /);
    expect(result.stderr).toContain('Dry run: 2 events would be sent');
  });

  test('a 400 listen kept the body of is replayed only with --include-refused', async () => {
    const app = await startAppServer();
    const capture = await writeCapture([
      captureLine({ body: SAMPLES.callLog('c-1') }),
      captureLine({
        body: { ...SAMPLES.callLog('c-2'), duration: 'x' },
        status: 400,
        reason: 'the event fails its schema (--strict)',
      }),
    ]);

    const plain = await replayCli([capture, '--to', app.url]);
    const sentPlain = callIdsOf(app);
    const included = await replayCli([
      capture,
      '--to',
      app.url,
      '--include-refused',
    ]);

    expect(plain.exitCode).toBe(ALL_ACCEPTED);
    expect(sentPlain).toEqual(['c-1']);
    expect(included.exitCode).toBe(ALL_ACCEPTED);
    expect(callIdsOf(app)).toEqual(['c-1', 'c-1', 'c-2']);
  });

  test('--rate 5 never lets more than 5 events reach the receiver in any second, and keeps their order', async () => {
    const receiver = await startTimingServer();
    const callIds = Array.from({ length: 15 }, (_, index) => `c-${index}`);
    const capture = await writeCapture(
      callIds.map((callId) => captureLine({ body: SAMPLES.callLog(callId) })),
    );

    const result = await replayCli([
      capture,
      '--to',
      receiver.url,
      '--rate',
      '5',
    ]);

    expect(result.exitCode).toBe(ALL_ACCEPTED);
    expect(receiver.arrivals.map((arrival) => arrival.callId)).toEqual(callIds);
    expect(
      busiestSecond(receiver.arrivals.map(({ at }) => at)),
    ).toBeLessThanOrEqual(5);
  });

  test('a line whose body was changed after capture is not sent, is named, and fails the run', async () => {
    const app = await startAppServer();
    const lines = [
      captureLine({ body: SAMPLES.callLog('c-1') }),
      captureLine({ body: SAMPLES.callLog('c-2') }),
      captureLine({ body: SAMPLES.callLog('c-3') }),
    ];
    const edited = JSON.parse(lines[1]!) as Record<string, unknown>;
    edited.bodyBase64 = Buffer.from(
      JSON.stringify(SAMPLES.callLog('c-2-edited')),
    ).toString('base64');
    lines[1] = `${JSON.stringify(edited)}\n`;
    const capture = await writeCapture(lines);

    const result = await replayCli([capture, '--to', app.url, '--json']);

    expect(result.exitCode).toBe(NOT_ACCEPTED);
    expect(callIdsOf(app)).toEqual(['c-1', 'c-3']);
    expect(linesOfType(result.stdout, 'skipped')).toEqual([
      {
        type: 'skipped',
        line: 2,
        cause: 'tampered',
        reason: expect.stringContaining('does not match the SHA-256'),
      },
    ]);
    expect(summaryOf(result.stdout)).toMatchObject({
      sent: 2,
      accepted: 2,
      tampered: 1,
      exitCode: 1,
    });
    expect(result.stderr).toContain(`Line 2 of ${capture} not replayed`);
  });

  test('a line listen did not finish writing is passed over with a warning, and does not fail the run', async () => {
    const app = await startAppServer();
    const whole = captureLine({ body: SAMPLES.callLog('c-2') });
    const capture = await writeCapture([
      captureLine({ body: SAMPLES.callLog('c-1') }),
      `${whole.slice(0, 90)}\n`,
      whole,
    ]);

    const result = await replayCli([capture, '--to', app.url]);

    expect(result.exitCode).toBe(ALL_ACCEPTED);
    expect(callIdsOf(app)).toEqual(['c-1', 'c-2']);
    expect(result.stderr).toMatch(
      /warning Line 2 of .* not replayed: it is not whole JSON/,
    );
    expect(result.stderr).toContain('1 not written whole by listen');
  });

  test('answers other than 2xx, and no answer at all, exit 1 with each shown', async () => {
    const app = await startAppServer({ status: 500, answer: 'Internal error' });
    const capture = await writeCapture([
      captureLine({ body: SAMPLES.callLog('c-1') }),
    ]);

    const refused = await replayCli([capture, '--to', app.url]);
    const unanswered = await replayCli([
      capture,
      '--to',
      `http://127.0.0.1:${await closedPort()}/hooks`,
      '--json',
    ]);

    expect(refused.exitCode).toBe(NOT_ACCEPTED);
    expect(refused.stdout).toMatch(
      /^500 call_log +c-1 +\d+ ms +Internal error$/m,
    );
    expect(refused.stderr).toContain('0 accepted (2xx), 1 not accepted');
    expect(unanswered.exitCode).toBe(NOT_ACCEPTED);
    expect(linesOfType(unanswered.stdout, 'sent')).toMatchObject([
      {
        outcome: 'failed',
        accepted: false,
        reason: expect.stringContaining('connection refused'),
      },
    ]);
    expect(summaryOf(unanswered.stdout)).toMatchObject({ failed: 1, sent: 1 });
  });

  describe('refusals before anything is sent', () => {
    test('a capture file that does not exist exits 2 naming it', async () => {
      const missing = path.join(await makeDirectory(), 'gone.ndjson');

      const result = await replayCli([missing, '--to', 'http://127.0.0.1:9/']);

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toContain(`No file named ${missing}`);
    });

    test('a file that is not a listen capture exits 2 and sends nothing', async () => {
      const app = await startAppServer();
      const payload = path.join(
        PROJECT_ROOT,
        'fixtures',
        'events',
        'call-log.json',
      );
      const mixed = await writeCapture([
        captureLine({ body: SAMPLES.callLog('c-1') }),
        `${JSON.stringify(SAMPLES.callLog('c-2'))}\n`,
      ]);

      const notCapture = await replayCli([payload, '--to', app.url, '--json']);
      const partly = await replayCli([mixed, '--to', app.url]);

      expect(notCapture.exitCode).toBe(USAGE);
      expect(JSON.parse(notCapture.stdout)).toMatchObject({
        outcome: 'error',
        code: 'replay.notACapture',
      });
      expect(notCapture.stderr).toMatch(
        /Line 1 of .*call-log\.json is not a line of a listen capture/,
      );
      expect(partly.exitCode).toBe(USAGE);
      expect(partly.stderr).toContain('Line 2 of');
      expect(app.requests).toHaveLength(0);
    });

    test('an empty capture exits 2', async () => {
      const capture = await writeCapture([]);

      const result = await replayCli([capture, '--to', 'http://127.0.0.1:9/']);

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toContain('is empty: there is nothing to replay');
    });

    test('plain http to another machine is refused unless --insecure', async () => {
      const capture = await writeCapture([
        captureLine({ body: SAMPLES.callLog('c-1') }),
      ]);

      const result = await replayCli([
        capture,
        '--to',
        'http://192.0.2.1/hooks',
        '--json',
      ]);

      expect(result.exitCode).toBe(USAGE);
      expect(JSON.parse(result.stdout)).toMatchObject({
        code: 'target.insecureUrl',
      });
      expect(result.stderr).toMatch(
        /Refusing to send events .* to 192\.0\.2\.1 over plain http/,
      );
    });

    test('without a secret a real replay is refused, naming where to put one', async () => {
      const app = await startAppServer();
      const capture = await writeCapture([
        captureLine({ body: SAMPLES.callLog('c-1') }),
      ]);

      const result = await runCli({
        args: ['replay', capture, '--to', app.url],
      });

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toContain('ASTRADIAL_WEBHOOK_SECRET');
      expect(app.requests).toHaveLength(0);
    });
  });

  test('Ctrl-C stops after the event in flight, reports what was not sent and exits 130', async () => {
    const app = await startAppServer();
    const capture = await writeCapture(
      ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].map((callId) =>
        captureLine({ body: SAMPLES.callLog(callId) }),
      ),
    );
    const run = startCli({
      args: ['replay', capture, '--to', app.url, '--rate', '0.5', '--json'],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
      killAfterMs: 60_000,
    });

    await app.waitForRequests(1);
    run.child.kill('SIGINT');
    const result = await run.result;

    expect(result.exitCode).toBe(INTERRUPTED);
    const summary = summaryOf(result.stdout);
    expect(summary).toMatchObject({ outcome: 'interrupted', exitCode: 130 });
    expect(summary.notSent).toBeGreaterThan(0);
    expect(Number(summary.sent) + Number(summary.notSent)).toBe(5);
    expect(app.requests).toHaveLength(Number(summary.sent));
    expect(linesOfType(result.stdout, 'sent')).toHaveLength(
      app.requests.length,
    );
  });
});

type Arrival = { callId: string; at: number };

/** A receiver that notes when each request's headers arrived. */
function useTimingServers() {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  return async function startTimingServer() {
    const arrivals: Arrival[] = [];
    const server = createServer((request, response) => {
      const at = performance.now();
      void readBody(request).then((body) => {
        const { call_id: callId } = JSON.parse(body) as { call_id: string };
        arrivals.push({ callId, at });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    closers.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, arrivals };
  };
}
const startTimingServer = useTimingServers();

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The most arrivals within any 1000 ms, each arrival opening a window. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((left, right) => left - right);
  let most = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    let end = start;
    while (end < sorted.length && sorted[end]! - sorted[start]! < 1000)
      end += 1;
    most = Math.max(most, end - start);
  }
  return most;
}
