import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectNoSecret,
  postEvent,
  SECRET,
  tailOf,
  useListenFixture,
} from '../helpers/listen-fixture.js';

const startListen = useListenFixture();

describe('listen: the secret outside X-Webhook-Secret', () => {
  test('inside a cookie, a note header, the query string or the path, it is masked in the capture, the tail and --verbose', async () => {
    const listener = await startListen(['--verbose']);
    const noSecretHeader = { 'x-webhook-secret': undefined };

    const answers = [
      await postEvent(listener.url, CALL_LOG, {
        cookie: `session=${SECRET}`,
      }),
      await postEvent(listener.url, CALL_LOG, {
        'x-note': `my secret is ${SECRET} ok`,
      }),
      await postEvent(
        `${listener.url}/hook?secret=${SECRET}`,
        CALL_LOG,
        noSecretHeader,
      ),
      await postEvent(
        `${listener.url}/hook?secret=%54st-Secret-8f3b2c`,
        CALL_LOG,
        noSecretHeader,
      ),
      await postEvent(
        `${listener.url}/${SECRET}/hook`,
        CALL_LOG,
        noSecretHeader,
      ),
    ];
    const result = await listener.stop();

    expect(answers.map((answer) => answer.status)).toEqual([
      200, 200, 401, 401, 401,
    ]);
    const records = await listener.readCapture();
    expect(records.map((record) => record.headers.cookie)).toContain(
      'session=********',
    );
    expect(records.map((record) => record.headers['x-note'])).toContain(
      'my secret is ******** ok',
    );
    const tail = tailOf(result.stdout);
    expect(tail.map((line) => line.path)).toEqual([
      '/',
      '/',
      '/hook?secret=********',
      '/hook?secret=********',
      '/********/hook',
    ]);
    expect(tail.slice(2).map((line) => line.reason)).toEqual([
      expect.stringMatching(
        /^wrong place: found the secret in the URL's query string/,
      ),
      expect.stringMatching(
        /^wrong place: found the secret in the URL's query string/,
      ),
      expect.stringMatching(/^wrong place: found the secret in the URL's path/),
    ]);
    expect(tail[0]).toMatchObject({ headers: { cookie: 'session=********' } });
    expectNoSecret(
      await readFile(listener.capturePath, 'utf8'),
      result.stdout,
      result.stderr,
      ...answers.map((answer) => answer.text),
    );
    expect(await readFile(listener.capturePath, 'utf8')).not.toContain(
      '%54st-Secret-8f3b2c',
    );
  });

  test('a Content-Type holding the secret is masked in the 415 reason', async () => {
    const listener = await startListen();

    const answer = await postEvent(listener.url, CALL_LOG, {
      'content-type': `text/plain; key=${SECRET}`,
    });
    const result = await listener.stop();

    expect(answer.status).toBe(415);
    expect(tailOf(result.stdout)[0]?.reason).toBe(
      'Content-Type must be application/json (found "text/plain; key=********")',
    );
    expectNoSecret(
      await readFile(listener.capturePath, 'utf8'),
      result.stdout,
      answer.text,
    );
  });
});
