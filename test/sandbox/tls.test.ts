import { readFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';

import { beforeAll, describe, expect, test } from 'vitest';

import type { Sandbox, SandboxTls } from '../../src/sandbox/ingest-sandbox.js';
import { LEAD, SECRET, useSandboxFixture } from './sandbox-fixture.js';

const { useSandbox } = useSandboxFixture();

const TLS_DIRECTORY = new URL('../tls/', import.meta.url);
let tls: SandboxTls;

beforeAll(async () => {
  tls = {
    cert: await readFile(new URL('cert.pem', TLS_DIRECTORY)),
    key: await readFile(new URL('key.pem', TLS_DIRECTORY), 'utf8'),
  };
});

/** Posts the lead over HTTPS with node:https and the given TLS checks. */
function postOverHttps(
  sandbox: Sandbox,
  checks: Pick<RequestOptions, 'rejectUnauthorized' | 'ca'>,
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(LEAD);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${sandbox.url}/acme_test`,
      {
        ...checks,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'x-webhook-secret': SECRET,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, text }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('tls', () => {
  test('with tls the url is https://127.0.0.1:PORT', async () => {
    const sandbox = await useSandbox({ tls });
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('an HTTPS client that skips verification gets 200 and the lead is stored', async () => {
    const sandbox = await useSandbox({ tls });
    const answer = await postOverHttps(sandbox, { rejectUnauthorized: false });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ status: 'success' });
    expect(sandbox.storedBodies()).toEqual([LEAD]);
  });

  test('a client with default verification refuses the self-signed certificate', async () => {
    const sandbox = await useSandbox({ tls });

    await expect(postOverHttps(sandbox, {})).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(sandbox.requestCount()).toBe(0);
  });

  test('a client that trusts the test certificate accepts it for 127.0.0.1', async () => {
    const sandbox = await useSandbox({ tls });
    const answer = await postOverHttps(sandbox, { ca: tls.cert });

    expect(answer.status).toBe(200);
  });
});
