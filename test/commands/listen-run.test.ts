import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  expectNoSecret,
  postEvent,
  SECRET,
  statusOf,
  useListenFixture,
  tailOf,
} from '../helpers/listen-fixture.js';
import { runCli } from '../helpers/run-cli.js';

/** Exit codes by name, as README.md's table fixes them. */
const USAGE = 2;
const LISTEN_TIMED_OUT = 5;
const INVALID_EVENT = 6;
const BIND_FAILED = 7;
const CAPTURE_FAILED = 8;
const INTERRUPTED = 130;

const startListen = useListenFixture();

describe('listen in CI: --count, --timeout, --expect-valid', () => {
  test('--count 2 exits 0 after two matching events, with the summary on stdout under --json', async () => {
    const listener = await startListen(['--count', '2', '--json']);

    await postEvent(listener.url, CALL_LOG);
    await postEvent(listener.url, { ...CALL_LOG, call_id: 'c-2' });
    const result = await listener.result;

    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({
      type: 'summary',
      outcome: 'countReached',
      exitCode: 0,
      byKind: { call_log: 2 },
      valid: 2,
    });
    expectCapturedOnce(await listener.readCapture(), [
      JSON.stringify(CALL_LOG),
      JSON.stringify({ ...CALL_LOG, call_id: 'c-2' }),
    ]);
  });

  test('--timeout exits 5 when the --count events do not come', async () => {
    const listener = await startListen(['--count', '1', '--timeout', '500ms']);

    const result = await listener.result;

    expect(result.exitCode).toBe(LISTEN_TIMED_OUT);
    expect(result.stderr).toMatch(/--timeout passed before 1 matching events/);
  });

  test('--timeout alone exits 0 when an event came, 5 when none did', async () => {
    const quiet = await startListen(['--timeout', '1s']);
    const busy = await startListen(['--timeout', '1s']);

    await postEvent(busy.url, CALL_LOG);

    expect((await quiet.result).exitCode).toBe(LISTEN_TIMED_OUT);
    expect((await busy.result).exitCode).toBe(0);
  });

  test('--expect-valid exits 6 on an invalid event, after acknowledging and capturing it', async () => {
    const listener = await startListen(['--expect-valid', '--count', '5']);
    const invalid = JSON.stringify({ ...CALL_LOG, direction: 'incoming' });

    const answer = await postEvent(listener.url, invalid);
    const result = await listener.result;

    expect(answer.status).toBe(200);
    expect(result.exitCode).toBe(INVALID_EVENT);
    expect(result.stderr).toMatch(/invalid call_log event.*direction/);
    expectCapturedOnce(await listener.readCapture(), [invalid]);
  });

  test('--expect-valid exits 6 on a body that is not JSON, answered 400', async () => {
    const listener = await startListen(['--expect-valid', '--count', '5']);

    const answer = await postEvent(listener.url, '{"call_id": "c-1",');
    const result = await listener.result;

    expect(answer.status).toBe(400);
    expect(result.exitCode).toBe(INVALID_EVENT);
    expect(result.stderr).toMatch(
      /body is not JSON arrived \(--expect-valid\)/,
    );
  });
});

describe('listen: starting and stopping', () => {
  test('a port in use exits 7 at once, naming the address and what to do', async () => {
    const first = await startListen();

    const second = await runCli({
      args: ['listen', '--port', String(first.port)],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });

    expect(second.exitCode).toBe(BIND_FAILED);
    expect(second.stderr).toContain(
      `127.0.0.1:${first.port} is already in use`,
    );
    expect(second.stderr).toMatch(/--port/);
    await first.stop();
  });

  test.each([
    [['--max-body', 'huge'], /--max-body "huge"/],
    [['--allow-ip', 'example.com'], /--allow-ip "example.com"/],
    [['--events', 'calls'], /--events "calls"/],
    [['--cert', 'cert.pem'], /both --cert and --key/],
    [
      ['--forward-to', 'ftp://127.0.0.1/'],
      /--forward-to "ftp:\/\/127.0.0.1\/" is not an http/,
    ],
    [
      ['--forward-to', 'http://127.0.0.1:9/', '--forward-timeout', '0'],
      /--forward-timeout "0" is not a duration above zero/,
    ],
    [
      ['--forward-to', 'http://127.0.0.1:9/', '--forward-timeout', '2d'],
      /--forward-timeout "2d" is too large: the maximum is 24h/,
    ],
    [
      ['--port', '18787', '--forward-to', 'http://localhost:18787/'],
      /is this listener's own address/,
    ],
  ])('%j exits 2 naming the flag', async (args, message) => {
    const result = await runCli({
      args: ['listen', '--port', '0', ...args],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });

    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toMatch(message);
  });

  test('without a secret it exits 2 saying where to put one', async () => {
    const result = await runCli({ args: ['listen', '--port', '0'] });

    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toMatch(/ASTRADIAL_WEBHOOK_SECRET/);
  });

  test('SIGTERM finishes the request in flight, then prints the counts and exits 0', async () => {
    const listener = await startListen();
    const body = JSON.stringify(CALL_LOG);
    const socket = connect(listener.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Webhook-Secret: ${SECRET}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await postEvent(listener.url, '{}', { 'x-webhook-secret': 'nope' });

    listener.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write(body);
    await closed;
    const result = await listener.result;

    expect(statusOf(answer)).toBe(200);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      /Events: 1 \(1 call_log\), 1 valid, 0 invalid, 0 filtered out by --events\. Rejected: 1 x 401\./,
    );
    expectCapturedOnce(await listener.readCapture(), [body]);
    expectNoSecret(result.stdout, result.stderr);
  });

  test('SIGTERM before the --count events came exits 130', async () => {
    const listener = await startListen(['--count', '3']);

    const result = await listener.stop();

    expect(result.exitCode).toBe(INTERRUPTED);
  });

  test('the capture file is readable by its owner only', async () => {
    const listener = await startListen();

    await listener.stop();

    expect((await stat(listener.capturePath)).mode & 0o777).toBe(0o600);
  });

  test.runIf(existsSync('/dev/full'))(
    'a capture that cannot be written answers 500 and exits 8',
    async () => {
      const listener = await startListen(['--capture', '/dev/full']);

      const answer = await postEvent(listener.url, CALL_LOG);
      const result = await listener.result;

      expect(answer.status).toBe(500);
      expect(result.exitCode).toBe(CAPTURE_FAILED);
      expect(result.stderr).toMatch(
        /Could not write to the capture file \/dev\/full: the disk is full/,
      );
      const tail = tailOf(result.stdout);
      expect(tail[0]).toMatchObject({
        type: 'rejected',
        status: 500,
        reason: 'the capture file could not be written',
      });
      expect(result.stderr).toMatch(/Rejected: 1 x 500/);
    },
  );

  test('the ready file holds the bound address', async () => {
    const listener = await startListen();

    expect(listener).toMatchObject({
      host: '127.0.0.1',
      url: `http://127.0.0.1:${listener.port}`,
    });
    expect(listener.port).toBeGreaterThan(0);
    expect(path.basename(listener.capturePath)).toBe('capture.ndjson');
    await listener.stop();
  });
});
