import { request } from 'undici';
import { describe, expect, test } from 'vitest';

import type {
  Sandbox,
  SandboxReply,
} from '../../src/sandbox/ingest-sandbox.js';
import {
  LEAD,
  SECRET,
  useSandboxFixture,
  waitUntil,
} from './sandbox-fixture.js';

const { useSandbox, post } = useSandboxFixture();

/**
 * Posts the lead on a connection of its own that gives up after waiting
 * `headersTimeout` ms for the answer, as a client with a timeout does.
 */
async function postGivingUp(sandbox: Sandbox, headersTimeout: number) {
  const response = await request(`${sandbox.url}/acme_test`, {
    method: 'POST',
    headersTimeout,
    headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET },
    body: JSON.stringify(LEAD),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

/**
 * Resolves to the error a request failed with. Taking it up front keeps the
 * rejection handled while the test is still busy closing the sandbox.
 */
function failureOf(answer: Promise<unknown>): Promise<unknown> {
  return answer.then(
    () => {
      throw new Error('The request was answered.');
    },
    (error: unknown) => error,
  );
}

describe('stored leads', () => {
  test('a normal 200 stores the lead and a rejected request does not', async () => {
    const sandbox = await useSandbox();
    expect((await post(sandbox)).status).toBe(200);
    expect((await post(sandbox, { secret: 'wrong' })).status).toBe(401);

    expect(sandbox.storedBodies()).toEqual([LEAD]);
    expect(sandbox.storedCount()).toBe(1);
  });

  test('a hook that answers 200 without store: true is delivered but not stored', async () => {
    const sandbox = await useSandbox({
      respond: () => ({ status: 200, body: '{"status":"queued"}' }),
    });
    expect((await post(sandbox)).status).toBe(200);

    expect(sandbox.deliveredBodies()).toEqual([LEAD]);
    expect(sandbox.storedBodies()).toEqual([]);
    expect(sandbox.storedCount()).toBe(0);
  });

  test('stored, then the connection was reset: the client gets a socket error', async () => {
    const sandbox = await useSandbox({
      respond: () => ({ destroy: true, store: true }),
    });

    await expect(post(sandbox)).rejects.toMatchObject({
      code: 'UND_ERR_SOCKET',
    });
    expect(sandbox.storedBodies()).toEqual([LEAD]);
    expect(sandbox.deliveredBodies()).toEqual([]);
    expect(sandbox.statusCounts()).toEqual({});
  });

  test('stored but never answered: the client gives up waiting', async () => {
    const sandbox = await useSandbox({
      respond: () => ({ hang: true, store: true }),
    });

    await expect(postGivingUp(sandbox, 300)).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(sandbox.storedBodies()).toEqual([LEAD]);
    expect(sandbox.deliveredBodies()).toEqual([]);
    expect(sandbox.statusCounts()).toEqual({});
  });

  test('stored but answered 200 with an HTML captive-portal page', async () => {
    const sandbox = await useSandbox({
      respond: () => ({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<html>Sign in</html>',
        store: true,
      }),
    });
    const answer = await post(sandbox);

    expect(answer).toMatchObject({ status: 200, text: '<html>Sign in</html>' });
    expect(answer.headers['content-type']).toBe('text/html');
    expect(sandbox.storedBodies()).toEqual([LEAD]);
  });

  test.each<[string, SandboxReply]>([
    ['answered 503', { status: 503 }],
    ['reset', { destroy: true }],
    ['left hanging', { hang: true }],
    ['answered 503 with store: false', { status: 503, store: false }],
  ])('a hook reply %s stores nothing', async (_name, reply) => {
    const sandbox = await useSandbox({ respond: () => reply });
    await postGivingUp(sandbox, 300).catch(() => undefined);

    expect(sandbox.requestCount()).toBe(1);
    expect(sandbox.storedCount()).toBe(0);
    expect(sandbox.storedBodies()).toEqual([]);
  });

  test('a stored body that is not JSON is kept as its text', async () => {
    const sandbox = await useSandbox({
      respond: () => ({ status: 400, store: true }),
    });
    await post(sandbox, { body: 'name=Asha' });

    expect(sandbox.storedBodies()).toEqual(['name=Asha']);
  });

  test('with record false storedBodies stays empty but storedCount counts', async () => {
    const sandbox = await useSandbox({
      record: false,
      respond: (request) =>
        request.index === 1 ? { destroy: true, store: true } : undefined,
    });
    await post(sandbox);
    await post(sandbox).catch(() => undefined);
    await post(sandbox, { secret: 'wrong' });

    expect(sandbox.storedBodies()).toEqual([]);
    expect(sandbox.storedCount()).toBe(2);
  });
});

describe('close', () => {
  test('close() drops a hung request and the client sees a socket error', async () => {
    const sandbox = await useSandbox({ respond: () => ({ hang: true }) });
    const pending = failureOf(post(sandbox));
    await waitUntil(() => sandbox.requestCount() === 1);
    await sandbox.close();

    expect(await pending).toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  test('close() drops hung requests and delayed answers together', async () => {
    const sandbox = await useSandbox({
      latencyMs: { min: 60_000, max: 60_000 },
      respond: (request) => (request.index === 0 ? { hang: true } : undefined),
    });
    const hung = failureOf(post(sandbox));
    await waitUntil(() => sandbox.requestCount() === 1);
    const delayed = failureOf(post(sandbox));
    await waitUntil(() => sandbox.requestCount() === 2);
    await sandbox.close();

    expect(await hung).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(await delayed).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(sandbox.statusCounts()).toEqual({});
  });

  test('a hook that settles after close() gets no answer out', async () => {
    let settle: (reply: SandboxReply | undefined) => void = () => {};
    const sandbox = await useSandbox({
      respond: () => new Promise((resolve) => (settle = resolve)),
    });
    const pending = failureOf(post(sandbox));
    await waitUntil(() => sandbox.requestCount() === 1);
    await sandbox.close();
    settle({ status: 200, store: true });

    expect(await pending).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(sandbox.storedCount()).toBe(0);
    expect(sandbox.statusCounts()).toEqual({});
  });
});
