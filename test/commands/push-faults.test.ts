import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, readFile, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

import { describe, expect, test } from 'vitest';

import type {
  Sandbox,
  SandboxReply,
  SandboxRequest,
} from '../../src/sandbox/ingest-sandbox.js';
import { countStoredBy } from '../helpers/fault-plan.js';
import {
  csvLines,
  readRejects,
  SECRET,
  usePushFixture,
} from '../helpers/push-fixture.js';
import { CLI_PATH, startCli } from '../helpers/run-cli.js';

const fixture = usePushFixture();

/** Pushes `file` to the sandbox's acme_test company with extra flags. */
function pushTo(sandbox: Sandbox, file: string, extra: string[]) {
  return fixture.push([file, '--url', `${sandbox.url}/acme_test`, ...extra]);
}

const TLS_CERT = fileURLToPath(new URL('../tls/cert.pem', import.meta.url));
const TLS_KEY = fileURLToPath(new URL('../tls/key.pem', import.meta.url));

const HEADER = 'customer_name,phone_number,event_date,city';

/** `count` distinct leads, "Lead 0" on line 2 and so on. */
function leads(count: number): string {
  const lines = [HEADER];
  for (let index = 0; index < count; index += 1) {
    lines.push(`Lead ${index},${9_000_012_300 + index},15/03/2026 10:30,Pune`);
  }
  return csvLines(...lines);
}

function phoneOf(body: unknown): string {
  return (body as { phone_number?: string }).phone_number ?? '(none)';
}

function nameOf(request: SandboxRequest): string {
  const body = JSON.parse(request.body.toString('utf8')) as {
    customer_name?: string;
  };
  return body.customer_name ?? '';
}

/** Every one of `count` leads from leads() stored exactly once. */
function expectStoredOnce(sandbox: Sandbox, count: number): void {
  const stored = countStoredBy(sandbox, phoneOf);
  const expected = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    expected.set(`+91${9_000_012_300 + index}`, 1);
  }
  expect(stored).toEqual(expected);
}

/** The first `count` answers are 429 with Retry-After: 1. */
function rateLimitFirst(count: number) {
  return (request: SandboxRequest): SandboxReply | undefined =>
    request.index < count
      ? {
          status: 429,
          headers: { 'retry-after': '1' },
          body: '{"status":"error","message":"Too many requests"}',
        }
      : undefined;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function tlsSandbox(): Promise<Sandbox> {
  return fixture.sandbox({
    tls: { cert: await readFile(TLS_CERT), key: await readFile(TLS_KEY) },
  });
}

const SERVER_DOWN: SandboxReply = {
  status: 503,
  body: '{"status":"error","message":"Down for maintenance"}',
};

const CAPTIVE_PORTAL: SandboxReply = {
  status: 200,
  headers: { 'content-type': 'text/html' },
  body: '<html><head><title>Sign in to Guest Wi-Fi</title></head><body>Log in to continue.</body></html>',
  store: true,
};

describe('push and rate limits', () => {
  test('a storm of 429s is waited out and every lead is delivered once', async () => {
    const sandbox = await fixture.sandbox({
      latencyMs: { min: 100, max: 150 },
      respond: rateLimitFirst(10),
    });
    const { file } = await fixture.writeCsv(leads(12));

    const result = await pushTo(sandbox, file, ['--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'delivered',
      delivered: 12,
      rejected: 0,
      left: 0,
    });
    expect(sandbox.statusCounts()).toEqual({ 200: 12, 429: 10 });
    expectStoredOnce(sandbox, 12);
  }, 60_000);

  test('a 429 well under 60 requests a second warns that the limit is shared, and the run adapts', async () => {
    const sandbox = await fixture.sandbox({ rateLimit: 5 });
    const { file } = await fixture.writeCsv(leads(30));

    const result = await pushTo(sandbox, file, ['--rate', '20', '--json']);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      /answered 429 \(too many requests\) after only \d+ requests from this run in the last second/,
    );
    expect(result.stderr).toContain('The limit is per public IP address');
    expect(sandbox.statusCounts()[429]).toBeGreaterThan(0);
    expectStoredOnce(sandbox, 30);
  }, 60_000);

  test('a server stricter than documented (fixed one-second windows) loses no lead', async () => {
    const sandbox = await fixture.sandbox({
      rateLimit: 10,
      rateWindow: 'fixed',
    });
    const { file } = await fixture.writeCsv(leads(60));

    const result = await pushTo(sandbox, file, ['--rate', '20', '--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      delivered: 60,
      left: 0,
      rejected: 0,
    });
    expectStoredOnce(sandbox, 60);
  }, 60_000);
});

describe('push and a server that is down', () => {
  test('503s for longer than --max-wait stop the run with every row left, and the rerun delivers them once', async () => {
    let isDown = true;
    const sandbox = await fixture.sandbox({
      respond: () => (isDown ? SERVER_DOWN : undefined),
    });
    const { file, rejectsPath } = await fixture.writeCsv(leads(10));
    const args = [
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--max-wait',
      '2s',
    ];

    const seen = await fixture.push(args);
    const summarised = await fixture.push([...args, '--json']);

    expect(seen.exitCode).toBe(3);
    expect(seen.stderr).toContain('Stopped: The server gave only errors for');
    expect(seen.stderr).toContain('503 Service Unavailable');
    expect(seen.stderr).toMatch(/rerun/i);
    expect(seen.stderr).toContain('10 left for the next run');
    expect(seen.stderr).toContain(`${file} --url ${sandbox.url}/acme_test`);
    expect(summarised.exitCode).toBe(3);
    const summary = JSON.parse(summarised.stdout);
    expect(summary).toMatchObject({
      outcome: 'stopped',
      stoppedBy: { kind: 'unavailable' },
      delivered: 0,
      rejected: 0,
      left: 10,
    });
    expect(existsSync(rejectsPath)).toBe(false);
    expect(sandbox.storedCount()).toBe(0);

    isDown = false;
    const rerun = await fixture.push([...args, '--json']);

    expect(rerun.exitCode).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      delivered: 10,
      alreadyDelivered: 0,
      left: 0,
    });
    expectStoredOnce(sandbox, 10);
  }, 90_000);

  test('a refused connection for longer than --max-wait stops the run as unavailable', async () => {
    const port = await closedPort();
    const { file, rejectsPath } = await fixture.writeCsv(leads(5));
    const args = [file, '--url', `http://127.0.0.1:${port}/acme_test`];
    const maxWait = ['--max-wait', '2s'];

    const seen = await fixture.push([...args, ...maxWait]);
    const summarised = await fixture.push([...args, ...maxWait, '--json']);

    expect(seen.exitCode).toBe(3);
    expect(seen.stderr).toContain('ECONNREFUSED');
    expect(seen.stderr).toContain('--max-wait');
    expect(seen.stderr).toContain('5 left for the next run');
    expect(summarised.exitCode).toBe(3);
    expect(JSON.parse(summarised.stdout)).toMatchObject({
      stoppedBy: {
        kind: 'unavailable',
        detail: expect.stringContaining('ECONNREFUSED'),
      },
      left: 5,
      rejected: 0,
    });
    expect(existsSync(rejectsPath)).toBe(false);
  }, 60_000);
});

describe('push and requests that get no answer', () => {
  test('a reset after the request makes that row uncertain, not resent until --resend-uncertain', async () => {
    let isResetDone = false;
    const sandbox = await fixture.sandbox({
      respond: (request) => {
        if (isResetDone || nameOf(request) !== 'Lead 2') return undefined;
        isResetDone = true;
        return { destroy: true, store: true };
      },
    });
    const { file, rejectsPath } = await fixture.writeCsv(leads(5));
    const args = [file, '--url', `${sandbox.url}/acme_test`];

    const first = await fixture.push(args);

    expect(first.exitCode).toBe(1);
    expect(first.stderr).toContain(
      '1 row may have reached AstraDial without a confirmed answer (line 4)',
    );
    expect(first.stderr).toContain('--resend-uncertain');
    const rows = await readRejects(rejectsPath);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ['4', 'uncertain'],
    ]);
    expect(rows[1]![2]).toContain('the server may have stored it');
    expect(rows[1]![2]).toContain('Check in AstraDial');

    const again = await fixture.push([...args, '--json']);

    expect(again.exitCode).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      delivered: 0,
      alreadyDelivered: 4,
      reasons: { uncertain: 1 },
      uncertainLines: [4],
    });
    expect(sandbox.requestCount()).toBe(5);

    const resent = await fixture.push([
      ...args,
      '--json',
      '--resend-uncertain',
    ]);

    expect(resent.exitCode).toBe(0);
    expect(JSON.parse(resent.stdout)).toMatchObject({
      delivered: 1,
      alreadyDelivered: 4,
      rejected: 0,
      uncertainLines: [],
    });
    // Stored before the reset and again now: what --resend-uncertain risks.
    expect(countStoredBy(sandbox, phoneOf).get('+919000012302')).toBe(2);
    // The row is delivered now: a rejects file still listing it as not
    // delivered would have it pushed a third time.
    const left = existsSync(rejectsPath) ? await readRejects(rejectsPath) : [];
    expect(left.slice(1).map((row) => row[0])).not.toContain('4');
  });

  test('an answer that never comes within --timeout makes that row uncertain and the run goes on', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        nameOf(request) === 'Lead 1' ? { hang: true, store: true } : undefined,
    });
    const { file, rejectsPath } = await fixture.writeCsv(leads(5));

    const result = await pushTo(sandbox, file, ['--timeout', '1s', '--json']);

    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'rowsRejected',
      delivered: 4,
      reasons: { uncertain: 1 },
      uncertainLines: [3],
      left: 0,
    });
    const rows = await readRejects(rejectsPath);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ['3', 'uncertain'],
    ]);
    expect(rows[1]![2]).toContain(
      'did not answer within the timeout of 1 s (UND_ERR_HEADERS_TIMEOUT)',
    );
    expect(sandbox.requestCount()).toBe(5);
    expect(sandbox.storedCount()).toBe(5);
  }, 60_000);
});

describe('push stops for causes every row shares', () => {
  test('a host name that does not resolve stops the run as host_not_found, every row left', async () => {
    const { file, rejectsPath } = await fixture.writeCsv(leads(3));
    const args = [file, '--url', 'https://nonexistent.invalid/acme_test'];

    const seen = await fixture.push(args);
    const summarised = await fixture.push([...args, '--json']);

    expect(seen.exitCode).toBe(3);
    expect(seen.stderr).toContain(
      'Stopped: the host name could not be resolved',
    );
    expect(seen.stderr).toContain('ENOTFOUND');
    expect(seen.stderr).toContain(
      'Check the network connection and the host in https://nonexistent.invalid/acme_test',
    );
    expect(summarised.exitCode).toBe(3);
    expect(JSON.parse(summarised.stdout)).toMatchObject({
      stoppedBy: { kind: 'host_not_found' },
      delivered: 0,
      rejected: 0,
      left: 3,
      leftReasons: { not_sent: 3 },
    });
    expect(existsSync(rejectsPath)).toBe(false);
  });

  test('an untrusted TLS certificate stops the run before sending, and NODE_EXTRA_CA_CERTS fixes it', async () => {
    const sandbox = await tlsSandbox();
    const { file } = await fixture.writeCsv(leads(3));
    const args = [file, '--url', `${sandbox.url}/acme_test`];

    const seen = await fixture.push(args);
    const summarised = await fixture.push([...args, '--json']);

    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(seen.exitCode).toBe(3);
    expect(seen.stderr).toContain(
      "Stopped: The server's TLS certificate was not accepted: ",
    );
    expect(seen.stderr).not.toMatch(/not accepted: The server's TLS/);
    expect(seen.stderr).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(seen.stderr).toContain('NODE_EXTRA_CA_CERTS=');
    expect(summarised.exitCode).toBe(3);
    expect(JSON.parse(summarised.stdout)).toMatchObject({
      stoppedBy: { kind: 'tls' },
      left: 3,
      rejected: 0,
    });
    expect(sandbox.requestCount()).toBe(0);
    expect(sandbox.storedCount()).toBe(0);

    const trusted = await fixture.push([...args, '--json'], {
      env: { NODE_EXTRA_CA_CERTS: TLS_CERT },
    });

    expect(trusted.exitCode).toBe(0);
    expect(JSON.parse(trusted.stdout)).toMatchObject({ delivered: 3 });
    expectStoredOnce(sandbox, 3);
  });

  test('with --json a stop still says on stderr what happened and what to do', async () => {
    const sandbox = await tlsSandbox();
    const { file } = await fixture.writeCsv(leads(3));

    const result = await pushTo(sandbox, file, ['--json']);

    expect(result.exitCode).toBe(3);
    expect(JSON.parse(result.stdout).stoppedBy.kind).toBe('tls');
    // stdout is for the machine; the person reading a CI log looks at
    // stderr, where errors go with or without --json.
    expect(result.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  test("a 200 that is not AstraDial's answer stops the run: that row uncertain, the rest left", async () => {
    const sandbox = await fixture.sandbox({ respond: () => CAPTIVE_PORTAL });
    const human = await fixture.writeCsv(leads(5));
    const machine = await fixture.writeCsv(leads(5));
    const options = ['--url', `${sandbox.url}/acme_test`, '--rate', '2'];

    const seen = await fixture.push([human.file, ...options]);
    const summarised = await fixture.push([machine.file, ...options, '--json']);

    expect(seen.exitCode).toBe(3);
    expect(seen.stderr).toContain('Sign in to Guest Wi-Fi');
    expect(seen.stderr).toMatch(/Wi-Fi login page or a proxy/);
    expect(seen.stderr).toContain('4 left for the next run');
    expect(summarised.exitCode).toBe(3);
    expect(JSON.parse(summarised.stdout)).toMatchObject({
      outcome: 'stopped',
      stoppedBy: { kind: 'unexpected_answer', status: 200 },
      delivered: 0,
      rejected: 1,
      reasons: { uncertain: 1 },
      uncertainLines: [2],
      left: 4,
      leftReasons: { not_sent: 4 },
    });
    for (const { rejectsPath } of [human, machine]) {
      const rows = await readRejects(rejectsPath);
      expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
        ['2', 'uncertain'],
      ]);
    }
    // One request per run, each stored by the portal's server.
    expect(sandbox.requestCount()).toBe(2);
  });
});

describe('push and a state file that stops taking writes', () => {
  test('the run stops with exit 3 and says the rerun will report the last rows as uncertain; the rerun sends no lead twice', async () => {
    const rows = 2000;
    const sandbox = await fixture.sandbox({
      rateLimit: 0,
      latencyMs: { min: 20, max: 20 },
    });
    const { file } = await fixture.writeCsv(leads(rows));
    const args = ['push', file, '--url', `${sandbox.url}/acme_test`];
    // The file size limit (8 KB) lets the journal take a few hundred rows,
    // then fails its writes with EFBIG, as a full disk would.
    const limited = await new Promise<{ code: number | null; stderr: string }>(
      (resolve) => {
        execFile(
          'sh',
          [
            '-c',
            'trap "" XFSZ; ulimit -f 8; exec "$0" "$@"',
            process.execPath,
            CLI_PATH,
            ...args,
            '--rate',
            '100000',
          ],
          { env: { ...process.env, ASTRADIAL_WEBHOOK_SECRET: SECRET } },
          (error, _stdout, stderr) =>
            resolve({ code: error ? (error.code as number) : 0, stderr }),
        );
      },
    );

    expect(limited.code).toBe(3);
    expect(limited.stderr).toContain(
      'the rerun reports the rows that were on their way then as uncertain',
    );
    expect(limited.stderr).not.toContain('State saved');

    const rerun = await pushTo(sandbox, file, ['--rate', '100000', '--json']);
    const summary = JSON.parse(rerun.stdout) as {
      alreadyDelivered: number;
      delivered: number;
      reasons: Record<string, number>;
    };
    const stored = countStoredBy(sandbox, phoneOf);
    expect(Math.max(...stored.values())).toBe(1);
    expect(
      summary.alreadyDelivered +
        summary.delivered +
        (summary.reasons.uncertain ?? 0),
    ).toBe(rows);
    expect(
      stored.size + (summary.reasons.uncertain ?? 0),
    ).toBeGreaterThanOrEqual(rows);
  });
});

describe('push and an output that closes', () => {
  test('when the reader of stderr goes away then the run stops as on Ctrl-C, releases the journal, exits 130, and the rerun resumes with nothing uncertain or stored twice', async () => {
    const sandbox = await fixture.sandbox({
      latencyMs: { min: 200, max: 300 },
    });
    const { file } = await fixture.writeCsv(leads(200));
    const url = `${sandbox.url}/acme_test`;
    const run = startCli({
      args: ['push', file, '--url', url, '--rate', '20'],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });

    // As `2>&1 | head -1` does: read the first line, then close the pipe.
    // The progress line due after 5 s is the first write to fail.
    await once(run.child.stderr!, 'data');
    run.child.stderr!.destroy();
    const result = await run.result;

    expect(result.exitCode).toBe(130);
    expect(existsSync(`${file}.push-state.lock`)).toBe(false);
    const deliveredBefore = sandbox.storedCount();
    expect(deliveredBefore).toBeGreaterThan(0);
    expect(deliveredBefore).toBeLessThan(200);

    const rerun = await pushTo(sandbox, file, ['--rate', '200', '--json']);

    expect(rerun.exitCode).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      alreadyDelivered: deliveredBefore,
      delivered: 200 - deliveredBefore,
      reasons: {},
      uncertainLines: [],
    });
    expectStoredOnce(sandbox, 200);
  }, 30_000);

  test('when stdout is closed before the JSON summary then the run keeps its own exit code and releases the journal', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(3));
    const run = startCli({
      args: ['push', file, '--url', `${sandbox.url}/acme_test`, '--json'],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });
    run.child.stdout!.destroy();

    const result = await run.result;

    expect(result.exitCode).toBe(0);
    expect(result.stderr).not.toContain('EPIPE');
    expect(existsSync(`${file}.push-state.lock`)).toBe(false);
    expectStoredOnce(sandbox, 3);
  });
});

describe('push refuses to resume what it cannot resume safely', () => {
  test('when the input changed since the journal was started then push exits 2, and --restart sends every row again', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(3));
    const args = [file, '--url', `${sandbox.url}/acme_test`];
    expect((await fixture.push(args)).exitCode).toBe(0);

    await appendFile(file, 'Late Lead,9000012399,16/03/2026 11:00,Goa\r\n');
    const refused = await fixture.push(args);

    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `${file} is not the file the push journal`,
    );
    expect(refused.stderr).toContain('3 rows as delivered');
    expect(refused.stderr).toContain('undo the edit');
    expect(refused.stderr).toContain('--restart');
    expect(sandbox.requestCount()).toBe(3);

    const restarted = await fixture.push([...args, '--restart', '--json']);

    expect(restarted.exitCode).toBe(0);
    expect(JSON.parse(restarted.stdout)).toMatchObject({
      delivered: 4,
      alreadyDelivered: 0,
    });
    const stored = countStoredBy(sandbox, phoneOf);
    expect(stored).toEqual(
      new Map([
        ['+919000012300', 2],
        ['+919000012301', 2],
        ['+919000012302', 2],
        ['+919000012399', 1],
      ]),
    );
  });

  test('when the rejects file was edited after the run that wrote it then push exits 2 rather than overwrite it', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(
      csvLines(
        HEADER,
        'Asha Test,9000012301,15/03/2026 10:30,Pune',
        'No Phone,,15/03/2026 10:30,Pune',
      ),
    );
    const args = [file, '--url', `${sandbox.url}/acme_test`];
    expect((await fixture.push(args)).exitCode).toBe(1);
    const written = await readFile(rejectsPath, 'utf8');

    // As if saved from Excel a minute later.
    const later = new Date(Date.now() + 60_000);
    await utimes(rejectsPath, later, later);
    const refused = await fixture.push(args);

    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `${rejectsPath} was changed after the last push of this file wrote it`,
    );
    expect(refused.stderr).toContain(`astradial push ${rejectsPath}`);
    expect(await readFile(rejectsPath, 'utf8')).toBe(written);
    expect(sandbox.requestCount()).toBe(1);
  });

  test('--state with standard input is refused with exit 2', async () => {
    const sandbox = await fixture.sandbox();
    const cwd = await fixture.makeDirectory();

    const result = await fixture.push(
      ['-', '--url', `${sandbox.url}/acme_test`, '--state', 'leads.push-state'],
      { stdin: leads(2), cwd },
    );

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--state needs a regular file to push');
    expect(result.stderr).toContain('Save it to a file and push that');
    expect(sandbox.requestCount()).toBe(0);
    expect(existsSync(`${cwd}/leads.push-state`)).toBe(false);
  });

  test.each([
    ['a device that never ends', '/dev/full', 'a device'],
    ['a device that keeps nothing', '/dev/null', 'a device'],
    ['a folder', '', 'a folder'],
  ])(
    '--state naming %s is refused with exit 2 before anything is sent',
    async (_case, statePath, kind) => {
      const sandbox = await fixture.sandbox();
      const { file, directory } = await fixture.writeCsv(leads(2));
      const state = statePath || directory;
      // Only a lock this run made counts (an old one may be lying there).
      const hadLock = existsSync(`${state}.lock`);

      const result = await fixture.push(
        [file, '--url', `${sandbox.url}/acme_test`, '--state', state, '--json'],
        { killAfterMs: 10_000 },
      );

      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({
        code: 'state.notAFile',
        message: expect.stringContaining(
          `The state path ${state} is ${kind}, not a file`,
        ),
      });
      expect(result.stderr).toContain('Give --state the path of a new file');
      expect(existsSync(`${state}.lock`)).toBe(hadLock);
      expect(sandbox.requestCount()).toBe(0);
    },
  );

  test.each([
    ['', 'it is empty'],
    [leads(1), 'it starts with "customer_name,phone_number,event_date,city"'],
  ])(
    '--state naming a file that is not a journal is refused with exit 2 and left alone, also with --restart (%#)',
    async (content, start) => {
      const sandbox = await fixture.sandbox();
      const { file, directory } = await fixture.writeCsv(leads(2));
      const other = `${directory}/other.csv`;
      await writeFile(other, content);

      for (const extra of [[], ['--restart']]) {
        const result = await pushTo(sandbox, file, [
          '--state',
          other,
          ...extra,
        ]);

        expect(result.exitCode).toBe(2);
        expect(result.stderr).toContain(
          `${other} is not a push journal (${start}).`,
        );
        expect(result.stderr).toContain('Give --state another path');
        expect(result.stderr).not.toContain('damaged');
      }
      expect(await readFile(other, 'utf8')).toBe(content);
      expect(sandbox.requestCount()).toBe(0);
    },
  );

  test('--state naming a file whose size says 0 but which holds text is read, not trusted by its size', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(2));

    const result = await pushTo(sandbox, file, ['--state', '/proc/version']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '/proc/version is not a push journal (it starts with "Linux version',
    );
    expect(sandbox.requestCount()).toBe(0);
  });

  test('when a row of the input is edited after a partial push then the advice is to undo the edit and fix the row in the rejects file, with --restart last', async () => {
    const sandbox = await fixture.sandbox();
    const original = csvLines(
      HEADER,
      'Asha Test,9000012301,15/03/2026 10:30,Pune',
      'Ravi Sample,12345,15/03/2026 10:30,Nagpur',
      'Meera Demo,9000012303,15/03/2026 10:30,Indore',
    );
    const { file, rejectsPath } = await fixture.writeCsv(original);
    const args = ['--url', `${sandbox.url}/acme_test`];
    expect((await pushTo(sandbox, file, args)).exitCode).toBe(1);

    await writeFile(file, original.replace(',12345,', ',9000012302,'));
    const refused = await pushTo(sandbox, file, args);

    expect(refused.exitCode).toBe(2);
    const advice = refused.stderr;
    expect(advice).toContain('undo the edit and rerun this command');
    expect(advice).toContain(
      `Fix them there and push that file (astradial push ${rejectsPath} …)`,
    );
    expect(advice).toContain(
      '--restart: it discards the journal and sends every row, also the 2 delivered before.',
    );
    expect(advice.indexOf(rejectsPath)).toBeLessThan(
      advice.indexOf('--restart'),
    );
    expect(sandbox.requestCount()).toBe(2);

    // Following the advice delivers the fixed row, and nothing twice.
    await writeFile(file, original);
    expect((await pushTo(sandbox, file, args)).exitCode).toBe(1);
    const rejects = await readFile(rejectsPath, 'utf8');
    await writeFile(rejectsPath, rejects.replace(',12345,', ',9000012302,'));
    expect((await pushTo(sandbox, rejectsPath, args)).exitCode).toBe(0);
    expect(countStoredBy(sandbox, phoneOf)).toEqual(
      new Map([
        ['+919000012301', 1],
        ['+919000012303', 1],
        ['+919000012302', 1],
      ]),
    );
  });
});

describe('push and the same lead twice', () => {
  /** Line 4 repeats line 2's number (written another way) and event date. */
  const REPEATED = csvLines(
    HEADER,
    'Asha Test,9000012301,15/03/2026 10:30,Pune',
    'Ravi Sample,9000012302,15/03/2026 10:30,Nagpur',
    'Asha T.,+91 90000 12301,15/03/2026 10:30,Pune',
    'Asha Test,9000012301,16/03/2026 10:30,Pune',
  );

  test('by default the later row is skipped and reported, and the same number on another date is sent', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(REPEATED);

    const result = await pushTo(sandbox, file, ['--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 4,
      delivered: 3,
      rejected: 0,
      duplicates: { skipped: 1, examples: [{ line: 4, sameAsLine: 2 }] },
    });
    expect(sandbox.storedBodies().map(phoneOf)).toEqual([
      '+919000012301',
      '+919000012302',
      '+919000012301',
    ]);
    expect(existsSync(rejectsPath)).toBe(false);
  });

  test('--duplicates reject puts the later row in the rejects file naming the earlier line', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(REPEATED);

    const result = await pushTo(sandbox, file, [
      '--duplicates',
      'reject',
      '--json',
    ]);

    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      delivered: 3,
      reasons: { duplicate: 1 },
      duplicates: { skipped: 0 },
    });
    const rows = await readRejects(rejectsPath);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      ['4', 'duplicate'],
    ]);
    expect(rows[1]![2]).toContain('as line 2');
    expect(rows[1]![2]).toContain('--duplicates send');
    expect(sandbox.storedCount()).toBe(3);
  });

  test('--duplicates send sends both', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(REPEATED);

    const result = await pushTo(sandbox, file, [
      '--duplicates',
      'send',
      '--json',
    ]);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      delivered: 4,
      duplicates: { skipped: 0 },
    });
    expect(countStoredBy(sandbox, phoneOf).get('+919000012301')).toBe(3);
  });
});
