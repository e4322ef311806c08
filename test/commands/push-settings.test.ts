import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  csvLines,
  SECRET,
  usePushFixture,
  sortedBodies,
} from '../helpers/push-fixture.js';

const fixture = usePushFixture();

const ONE_LEAD = csvLines('customer_name,phone_number', 'Asha Test,9000012301');

describe('config precedence', () => {
  test('flags beat the environment, which beats the config file', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(
      path.join(directory, '.astradialrc.json'),
      JSON.stringify({ url: `${sandbox.url}/from-file` }),
    );
    const environment = { ASTRADIAL_URL: `${sandbox.url}/from-env` };

    // One file to three targets: without a journal, as a journal belongs
    // to one target.
    await fixture.push([file, '--no-state'], { cwd: directory });
    await fixture.push([file, '--no-state'], {
      cwd: directory,
      env: environment,
    });
    await fixture.push(
      [file, '--no-state', '--url', `${sandbox.url}/from-flag`],
      {
        cwd: directory,
        env: environment,
      },
    );

    expect(sandbox.requests.map((request) => request.path)).toEqual([
      '/from-file',
      '/from-env',
      '/from-flag',
    ]);
  });

  test('an astradial key in package.json and --config are read', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(
      path.join(directory, 'package.json'),
      JSON.stringify({
        name: 'x',
        astradial: { url: `${sandbox.url}/from-package` },
      }),
    );
    const explicit = path.join(directory, 'elsewhere.json');
    await writeFile(
      explicit,
      JSON.stringify({ url: `${sandbox.url}/from-explicit` }),
    );

    await fixture.push([file, '--no-state'], { cwd: directory });
    await fixture.push([file, '--no-state', '--config', explicit], {
      cwd: directory,
    });

    expect(sandbox.requests.map((request) => request.path)).toEqual([
      '/from-package',
      '/from-explicit',
    ]);
  });

  test('a column map in the config file is used', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(
      csvLines('Client,Alt Mobile', 'Asha Test,9000012301'),
    );
    await writeFile(
      path.join(directory, 'astradial.config.json'),
      JSON.stringify({
        url: `${sandbox.url}/acme_test`,
        map: { customer_name: 'Client', phone_number: 'Alt Mobile' },
      }),
    );

    const result = await fixture.push([file], { cwd: directory });

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        { customer_name: 'Asha Test', phone_number: '+919000012301' },
      ]),
    );
  });

  test('when a config key is wrong then push exits 2 naming the file and the key', async () => {
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(
      path.join(directory, '.astradialrc.json'),
      JSON.stringify({ company: 'acme', rate: 'fast', colour: true }),
    );

    const result = await fixture.push([file], { cwd: directory });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.astradialrc.json: rate');
    expect(result.stderr).toContain('colour');
  });
});

describe('errors name the setting', () => {
  test('a bad time zone in the config file is named with the file and key', async () => {
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(
      path.join(directory, '.astradialrc.json'),
      JSON.stringify({ timezone: 'Asia/Mumbai' }),
    );

    const result = await fixture.push([file, '--dry-run'], { cwd: directory });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.astradialrc.json: timezone');
    expect(result.stderr).toContain('Asia/Mumbai');
  });

  test('with --json a usage error still leaves one JSON object on stdout', async () => {
    const { file } = await fixture.writeCsv(ONE_LEAD);

    const result = await fixture.push([file, '--json']);

    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: 'error',
      exitCode: 2,
      code: 'push.noTarget',
    });
  });

  test('a relative secretFile in a config file is read from beside that file', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(path.join(directory, 'secret.txt'), `${SECRET}\n`);
    await writeFile(
      path.join(directory, 'package.json'),
      JSON.stringify({
        astradial: { secretFile: 'secret.txt', url: `${sandbox.url}/a` },
      }),
    );
    const subdirectory = path.join(directory, 'exports');
    await mkdir(subdirectory);

    const result = await fixture.push([file], {
      cwd: subdirectory,
      env: { ASTRADIAL_WEBHOOK_SECRET: undefined },
    });

    expect(result.exitCode).toBe(0);
    expect(sandbox.requests[0]?.headers['x-webhook-secret']).toBe(SECRET);
  });
});

describe('the secret', () => {
  test('a config file with a syntax error is named, its text not shown', async () => {
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    await writeFile(
      path.join(directory, '.astradialrc.json'),
      `{"company": "acme",\n "secret": "${SECRET}",\n}`,
    );

    const result = await fixture.push([file, '--dry-run'], { cwd: directory });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.astradialrc.json');
    expect(result.stderr).toContain('near line 3');
    expect(result.stderr).not.toContain(SECRET);
  });

  test('a secret file saved by Notepad (BOM, CRLF) sends the bare secret', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    const secretFile = path.join(directory, 'secret.txt');
    await writeFile(secretFile, `\uFEFF${SECRET}\r\n`);

    const result = await fixture.push(
      [file, '--url', `${sandbox.url}/acme_test`, '--secret-file', secretFile],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );

    expect(result.exitCode).toBe(0);
    expect(sandbox.requests[0]?.headers['x-webhook-secret']).toBe(SECRET);
  });

  test('--secret works and warns that the process list shows it', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(ONE_LEAD);

    const result = await fixture.push(
      [file, '--url', `${sandbox.url}/acme_test`, '--secret', SECRET],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/process list/);
    expect(result.stderr).not.toContain(SECRET);
  });

  test('without a secret push exits 2 and says where to put one', async () => {
    const { file } = await fixture.writeCsv(ONE_LEAD);

    const result = await fixture.push(
      [file, '--url', 'http://127.0.0.1:9/acme'],
      {
        env: { ASTRADIAL_WEBHOOK_SECRET: undefined },
      },
    );

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ASTRADIAL_WEBHOOK_SECRET');
  });

  test('a secret with spaces or tabs around it exits 2 before sending, saying where it came from', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    const secretFile = path.join(directory, 'secret.txt');
    await writeFile(secretFile, `${SECRET}\t\n`);

    const fromFile = await fixture.push(
      [file, '--url', `${sandbox.url}/acme`, '--secret-file', secretFile],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );
    const fromEnvironment = await fixture.push(
      [file, '--url', `${sandbox.url}/acme`],
      { env: { ASTRADIAL_WEBHOOK_SECRET: ` ${SECRET}` } },
    );

    expect([fromFile.exitCode, fromEnvironment.exitCode]).toEqual([2, 2]);
    expect(fromFile.stderr).toContain(
      `The webhook secret from ${secretFile} starts or ends with a space or tab. HTTP removes spaces around header values`,
    );
    expect(fromEnvironment.stderr).toContain(
      'The webhook secret from ASTRADIAL_WEBHOOK_SECRET starts or ends with a space or tab.',
    );
    expect(fromFile.stderr + fromEnvironment.stderr).not.toContain(SECRET);
    expect(sandbox.requests).toEqual([]);
  });

  test('the secret appears in no output, whatever the run ends with', async () => {
    const secret = 'S3cr3t-Never-Printed-42';
    const good = await fixture.sandbox({ secret });
    const failing = await fixture.sandbox({
      secret,
      respond: () => ({
        status: 400,
        body: `{"message":"bad ${'x'.repeat(10)}"}`,
      }),
    });
    const refusing = await fixture.sandbox({ secret: 'other' });
    const { file, rejectsPath } = await fixture.writeCsv(
      csvLines(
        'customer_name,phone_number',
        'Asha Test,9000012301',
        'No Phone,',
      ),
    );
    const outputs: string[] = [];

    for (const url of [good.url, failing.url, refusing.url]) {
      for (const extra of [[], ['--json'], ['--debug']]) {
        const result = await fixture.push(
          [file, '--url', `${url}/acme`, ...extra],
          {
            env: { ASTRADIAL_WEBHOOK_SECRET: secret },
          },
        );
        outputs.push(result.stdout, result.stderr);
        if (existsSync(rejectsPath))
          outputs.push(await readFile(rejectsPath, 'utf8'));
      }
    }
    const badSecret = await fixture.push(
      [file, '--url', 'http://127.0.0.1:9/acme'],
      {
        env: { ASTRADIAL_WEBHOOK_SECRET: `${secret}\u0007` },
      },
    );
    outputs.push(badSecret.stdout, badSecret.stderr);

    expect(badSecret.exitCode).toBe(2);
    expect(outputs.join('\n')).not.toContain(secret);
  }, 60_000);
});

describe('more secret files and mappings', () => {
  test('a UTF-16 secret file from Notepad is read', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(ONE_LEAD);
    const secretFile = path.join(directory, 'secret.txt');
    await writeFile(
      secretFile,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`${SECRET}\r\n`, 'utf16le'),
      ]),
    );

    const result = await fixture.push(
      [file, '--url', `${sandbox.url}/a`, '--secret-file', secretFile],
      { env: { ASTRADIAL_WEBHOOK_SECRET: undefined } },
    );

    expect(result.exitCode).toBe(0);
    expect(sandbox.requests[0]?.headers['x-webhook-secret']).toBe(SECRET);
  });

  test('a secret of only spaces is refused as empty', async () => {
    const { file } = await fixture.writeCsv(ONE_LEAD);

    const result = await fixture.push([file, '--url', 'http://127.0.0.1:9/a'], {
      env: { ASTRADIAL_WEBHOOK_SECRET: '   ' },
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is empty');
  });

  test('two --map entries for one field are refused', async () => {
    const { file } = await fixture.writeCsv(ONE_LEAD);

    const result = await fixture.push([
      file,
      '--dry-run',
      '--map',
      'phone_number=A',
      '--map',
      'phone_number=B',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('names phone_number twice');
  });
});

describe('flags refused before anything is sent', () => {
  /** Pushes one lead to a sandbox with `extra` flags; nothing should arrive. */
  async function pushOneLead(extra: string[]) {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(ONE_LEAD);
    const url = `${sandbox.url}/acme_test`;
    const result = await fixture.push([file, '--url', url, ...extra]);
    expect(sandbox.requestCount()).toBe(0);
    return result;
  }

  test('--restart with --no-state is refused with exit 2: there is no journal to discard', async () => {
    const result = await pushOneLead(['--no-state', '--restart', '--json']);

    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      code: 'push.restartWithoutState',
      message: expect.stringContaining(
        '--restart and --no-state do not go together',
      ),
    });
    expect(result.stderr).toContain('Drop --restart');
  });

  test('--timeout 10d is refused with exit 2 as too large, naming the maximum', async () => {
    const result = await pushOneLead(['--timeout', '10d']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '--timeout "10d" is too large: the maximum is 24h (1d).',
    );
  });
});
