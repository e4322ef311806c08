import { describe, expect, test } from 'vitest';

import { csvLines, SECRET, usePushFixture } from '../helpers/push-fixture.js';
import { startCli } from '../helpers/run-cli.js';

const fixture = usePushFixture();

async function waitForLine(read: () => string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const line = read().split('\n')[0];
    if (line && read().includes('\n')) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sandbox printed no address');
}

describe('astradial sandbox', () => {
  test('serves the ingest contract until Ctrl-C, then exits 0', async () => {
    const sandbox = startCli({
      args: ['sandbox', '--port', '0', '--json'],
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });
    let stdout = '';
    sandbox.child.stdout!.on(
      'data',
      (chunk: Buffer) => (stdout += chunk.toString()),
    );
    const { url } = JSON.parse(await waitForLine(() => stdout)) as {
      url: string;
    };
    const { file } = await fixture.writeCsv(
      csvLines('Name,Mobile', 'Asha Test,9000012301'),
    );

    const push = await fixture.push([file, '--url', `${url}/acme_test`]);
    // Without a journal: a rerun with one would skip the delivered row.
    const refused = await fixture.push(
      [file, '--url', `${url}/acme_test`, '--no-state'],
      { env: { ASTRADIAL_WEBHOOK_SECRET: 'wrong' } },
    );
    sandbox.child.kill('SIGINT');
    const result = await sandbox.result;

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(push.exitCode).toBe(0);
    expect(refused.exitCode).toBe(3);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('"200":1');
    expect(result.stderr).toContain('"401":1');
    expect(result.stderr).not.toContain(SECRET);
  });

  test('without a secret it exits 2 and says how to give one', async () => {
    const result = await startCli({ args: ['sandbox', '--port', '0'] }).result;

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ASTRADIAL_WEBHOOK_SECRET');
  });
});
