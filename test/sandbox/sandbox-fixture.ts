import { Agent, request } from 'undici';
import { afterAll, afterEach } from 'vitest';

import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/ingest-sandbox.js';

export const SECRET = 'Tst-Secret-8f3b2c';
export const LEAD = {
  customer_name: 'Asha Test',
  phone_number: '+919000012301',
};

export type PostOptions = {
  method?: string;
  secret?: string | undefined;
  contentType?: string;
  body?: string | Buffer;
};

export type PostAnswer = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
};

/**
 * Per-test sandboxes on 127.0.0.1, closed after each test, and a client
 * that posts leads to them over a shared keep-alive agent.
 */
export function useSandboxFixture() {
  const sandboxes: Sandbox[] = [];
  const agent = new Agent({ connections: 16 });
  afterEach(async () => {
    await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
  });
  afterAll(() => agent.close());

  return {
    async useSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
      const sandbox = await startSandbox({ secret: SECRET, ...options });
      sandboxes.push(sandbox);
      return sandbox;
    },
    async post(
      sandbox: Sandbox,
      options: PostOptions = {},
    ): Promise<PostAnswer> {
      const headers: Record<string, string> = {
        'content-type': options.contentType ?? 'application/json',
      };
      const secret = 'secret' in options ? options.secret : SECRET;
      if (secret !== undefined) headers['x-webhook-secret'] = secret;
      const response = await request(`${sandbox.url}/acme_test`, {
        dispatcher: agent,
        method: (options.method ?? 'POST') as 'POST',
        headers,
        body: options.body ?? JSON.stringify(LEAD),
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: response.headers, text };
    },
  };
}

/**
 * Resolves once `condition` holds, checking every few milliseconds. It has
 * no deadline of its own: the test timeout ends a wait that never succeeds.
 */
export async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
