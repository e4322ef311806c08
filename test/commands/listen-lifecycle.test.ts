import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  postEvent,
  SECRET,
  useListenFixture,
} from '../helpers/listen-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const USAGE = 2;
const TLS = fileURLToPath(new URL('../tls/', import.meta.url));
const CERT = path.join(TLS, 'cert.pem');
const KEY = path.join(TLS, 'key.pem');

const startListen = useListenFixture();
const makeDirectory = useTempDirectories();

function listenOnce(
  args: string[],
  env = { ASTRADIAL_WEBHOOK_SECRET: SECRET },
) {
  return runCli({
    args: ['listen', '--port', '0', ...args],
    env,
    killAfterMs: 20_000,
  });
}

describe('listen: the ready file', () => {
  test('a ready file in a missing folder exits 2 at once, naming the path and what to do', async () => {
    const directory = await makeDirectory();
    const readyFile = path.join(directory, 'missing', 'ready.json');

    const result = await listenOnce(['--ready-file', readyFile]);

    expect(result.signal).toBeNull();
    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toContain(
      `Could not write the ready file ${readyFile}: the folder does not exist. Create its folder or make it writable, or pass another --ready-file path`,
    );
  });

  test('the ready file is removed when listen stops', async () => {
    const listener = await startListen();
    const readyFile = path.join(listener.directory, 'ready.json');
    expect(existsSync(readyFile)).toBe(true);

    const result = await listener.stop();

    expect(result.exitCode).toBe(0);
    expect(existsSync(readyFile)).toBe(false);
  });
});

describe('listen: --cert and --key that cannot serve HTTPS', () => {
  test('a garbage certificate exits 2 naming the file, not as a bug', async () => {
    const directory = await makeDirectory();
    const garbage = path.join(directory, 'garbage.pem');
    await writeFile(garbage, 'not a certificate\n');

    const result = await listenOnce(['--cert', garbage, '--key', KEY]);

    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toContain(
      `--cert ${garbage} is not a PEM certificate.`,
    );
    expect(result.stderr).not.toMatch(/bug|PEM routines|at .*\.js/);
  });

  test('certificate and key swapped exits 2 asking whether they are swapped', async () => {
    const result = await listenOnce(['--cert', KEY, '--key', CERT]);

    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toContain(
      `--cert ${KEY} is not a PEM certificate. It holds a private key: are --cert and --key swapped?`,
    );
  });

  test('a key that does not belong to the certificate exits 2 saying so', async () => {
    const directory = await makeDirectory();
    const otherKey = path.join(directory, 'other-key.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(
      otherKey,
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );

    const result = await listenOnce(['--cert', CERT, '--key', otherKey]);

    expect(result.exitCode).toBe(USAGE);
    expect(result.stderr).toContain(
      `--key ${otherKey} does not belong to the certificate in --cert ${CERT}.`,
    );
    expect(result.stderr).not.toMatch(/key values mismatch/);
  });
});

describe('listen: a secret with spaces around it', () => {
  test('from a file or the environment, it exits 2 saying where, without the value', async () => {
    const directory = await makeDirectory();
    const secretFile = path.join(directory, 'secret.txt');
    await writeFile(secretFile, `\t${SECRET}\n`);

    const fromFile = await listenOnce(['--secret-file', secretFile], {
      ASTRADIAL_WEBHOOK_SECRET: SECRET,
    });
    const fromEnvironment = await listenOnce([], {
      ASTRADIAL_WEBHOOK_SECRET: `${SECRET} `,
    });

    expect([fromFile.exitCode, fromEnvironment.exitCode]).toEqual([
      USAGE,
      USAGE,
    ]);
    expect(fromFile.stderr).toContain(
      `The webhook secret from ${secretFile} starts or ends with a space or tab. HTTP removes spaces around header values, so no sender could ever send a secret that matches it.`,
    );
    expect(fromEnvironment.stderr).toContain(
      'The webhook secret from ASTRADIAL_WEBHOOK_SECRET starts or ends with a space or tab.',
    );
    expect(fromFile.stderr + fromEnvironment.stderr).not.toContain(SECRET);
  });
});

describe('listen: appending to an existing capture file', () => {
  test('a cut-off last line is ended first, and a file others can read is kept but warned about', async () => {
    const directory = await makeDirectory();
    const capturePath = path.join(directory, 'old.ndjson');
    await writeFile(capturePath, '{"status":200,"partial":');
    await chmod(capturePath, 0o644);

    const listener = await startListen(['--capture', capturePath], {
      capture: false,
    });
    await postEvent(listener.url, CALL_LOG);
    const result = await listener.stop();

    const lines = (await readFile(capturePath, 'utf8')).split('\n');
    expect(lines[0]).toBe('{"status":200,"partial":');
    expectCapturedOnce([JSON.parse(lines[1]!)], [JSON.stringify(CALL_LOG)]);
    expect(lines.slice(2)).toEqual(['']);
    expect(result.stderr).toContain(
      `The capture file ${capturePath} ended in a cut-off line`,
    );
    expect(result.stderr).toContain(
      `The capture file ${capturePath} can be read by other users of this machine (mode 0644)`,
    );
    expect((await stat(capturePath)).mode & 0o777).toBe(0o644);
  });

  test('a capture file that ends in a line end gets no warning', async () => {
    const listener = await startListen();
    await postEvent(listener.url, CALL_LOG);
    await listener.stop();

    const again = await startListen(['--capture', listener.capturePath], {
      capture: false,
    });
    const result = await again.stop();

    expect(result.stderr).not.toMatch(/cut-off|other users/);
    expect(await listener.readCapture()).toHaveLength(1);
  });
});

describe('listen: SIGHUP', () => {
  test('a closed terminal (SIGHUP) stops listen gracefully: counts printed, capture kept, exit 0', async () => {
    const listener = await startListen();
    await postEvent(listener.url, CALL_LOG);

    listener.child.kill('SIGHUP');
    const result = await listener.result;

    expect(result.signal).toBeNull();
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/Events: 1 \(1 call_log\)/);
    expectCapturedOnce(await listener.readCapture(), [
      JSON.stringify(CALL_LOG),
    ]);
  });
});

describe('listen --help and --max-body', () => {
  test('each default is shown once', async () => {
    const result = await runCli({ args: ['listen', '--help'] });

    const help = result.stdout.replace(/\s+/g, ' ');
    expect(help.match(/8787/g)).toHaveLength(1);
    expect(help).toContain('(default: 8787)');
  });

  test.each(['1gb', '1MiB', '1k', '99999999999999999999'])(
    '--max-body %s exits 2 naming the units and the largest size',
    async (size) => {
      const result = await listenOnce(['--max-body', size]);

      expect(result.exitCode).toBe(USAGE);
      expect(result.stderr).toContain(
        `--max-body "${size}" is not a size from 1 byte to 100mb. Write a number of bytes, or a number followed by b, kb or mb`,
      );
    },
  );
});
