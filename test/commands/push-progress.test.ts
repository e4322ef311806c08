import { spawn } from 'node:child_process';

import { describe, expect, test } from 'vitest';

import { CLI_PATH, startCli } from '../helpers/run-cli.js';
import { csvLines, SECRET, usePushFixture } from '../helpers/push-fixture.js';

const fixture = usePushFixture();

function leads(count: number): string {
  const lines = ['customer_name,phone_number'];
  for (let index = 0; index < count; index += 1) {
    lines.push(`Lead ${index},90000${10000 + index}`);
  }
  return csvLines(...lines);
}

/**
 * Runs a command under `script`, which gives it a 100-column terminal;
 * `keys` are typed into that terminal after `typeAfterMs`.
 */
function runInTerminal(
  command: string,
  keys?: { text: string; typeAfterMs: number },
): Promise<{ output: string; exitCode: number | null }> {
  const child = spawn(
    'script',
    ['-qfec', `stty cols 100 rows 30; ${command}`, '/dev/null'],
    {
      env: {
        ...process.env,
        CI: undefined,
        NO_COLOR: undefined,
        ASTRADIAL_WEBHOOK_SECRET: SECRET,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  // A run that hangs must not outlive the test: end its whole group.
  const deadline = setTimeout(
    () => process.kill(-child.pid!, 'SIGKILL'),
    15_000,
  );
  let output = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => (output += chunk));
  if (keys) {
    setTimeout(() => child.stdin.write(keys.text), keys.typeAfterMs);
  }
  return new Promise((resolve) =>
    child.on('close', (exitCode) => {
      clearTimeout(deadline);
      child.stdin.destroy();
      resolve({ output, exitCode });
    }),
  );
}

describe('push progress', () => {
  test('without a terminal a plain progress line reaches stderr every few seconds', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(330));

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rate',
      '50',
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(
      /^\d+\/330 rows, \d+ delivered, 0 not delivered, [\d.]+\/s, ETA \d+s$/m,
    );
    expect(result.stderr).not.toMatch(/[\u2800-\u28FF]/);
    expect(result.stdout).toBe('');
  }, 20_000);

  test('on a resumed run the rate shown counts only requests sent, not rows skipped as delivered before', async () => {
    const sandbox = await fixture.sandbox({ rateLimit: 0 });
    const { file } = await fixture.writeCsv(leads(300));
    const args = ['push', file, '--url', `${sandbox.url}/acme_test`];
    const first = startCli({
      args: [...args, '--rate', '200'],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });
    while (sandbox.requestCount() < 150) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.child.kill('SIGTERM');
    expect((await first.result).exitCode).toBe(130);
    const skipped = sandbox.requestCount();

    const resumed = await fixture.push([...args.slice(1), '--rate', '20']);

    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toContain(
      `${skipped} rows delivered before are skipped`,
    );
    // The skipped rows are done within the first moment; counted as
    // requests, they would show twice the rate or more.
    const rate = /^\d+\/300 rows, .*, ([\d.]+)\/s, ETA/m.exec(resumed.stderr);
    expect(rate, resumed.stderr).not.toBeNull();
    expect(Number(rate![1])).toBeLessThanOrEqual(20 * 1.3);
  }, 30_000);

  test('on a terminal a spinner shows rows done of the total', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(80));

    const { output } = await runInTerminal(
      `${process.execPath} ${CLI_PATH} push ${file} --url ${sandbox.url}/acme_test --rate 40`,
    );

    expect(output).toMatch(/[\u2800-\u28FF]\S* \d+\/80 rows, \d+ delivered/);
    expect(output).toContain('80 delivered');
    expect(sandbox.deliveredBodies()).toHaveLength(80);
  }, 20_000);

  test('a terminal without a width gets plain lines, not a spinner', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(10));

    const { output } = await runInTerminal(
      `stty cols 0 rows 0; ${process.execPath} ${CLI_PATH} push ${file} --url ${sandbox.url}/acme_test`,
    );

    expect(output).toContain('10 delivered');
    expect(output).not.toMatch(/[\u2800-\u28FF]/);
  }, 20_000);

  test('Ctrl-C typed at the terminal stops gracefully with exit 130', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(300));

    const { output, exitCode } = await runInTerminal(
      `${process.execPath} ${CLI_PATH} push ${file} --url ${sandbox.url}/acme_test --rate 20`,
      { text: '\u0003', typeAfterMs: 1_500 },
    );

    expect(exitCode).toBe(130);
    expect(output).toContain('Received SIGINT');
    expect(output).toMatch(/\d+ left for the next run/);
    expect(output).toContain('run the same command again:');
    expect(sandbox.deliveredBodies().length).toBeLessThan(300);
  }, 20_000);

  test('--quiet prints neither progress nor the summary', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(leads(3));

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--quiet',
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });
});
