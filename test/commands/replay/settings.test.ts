import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { beforeEach, describe, expect, test, vi } from 'vitest';

import {
  resolveReplaySettings,
  type ReplayFlags,
} from '../../../src/commands/replay/settings.js';
import { expectUsageError } from '../../helpers/expect-usage-error.js';
import { useTempDirectories } from '../../helpers/temp-directory.js';

const makeDirectory = useTempDirectories();
const NOW = Date.parse('2026-03-07T12:00:00.000Z');

let capture: string;
let directory: string;

beforeEach(async () => {
  directory = await makeDirectory();
  capture = path.join(directory, 'capture.ndjson');
  await writeFile(capture, '');
  // No secret from the test's own environment, nor a config file found
  // by searching up from the working folder.
  vi.stubEnv('ASTRADIAL_WEBHOOK_SECRET', undefined);
  vi.spyOn(process, 'cwd').mockReturnValue(directory);
});

function flagsOf(changes: Partial<ReplayFlags> = {}): ReplayFlags {
  return {
    json: false,
    quiet: false,
    color: false,
    debug: false,
    includeRefused: false,
    config: path.join(directory, 'none.json'),
    to: 'http://127.0.0.1:3000/hooks',
    callId: [],
    dryRun: false,
    insecure: false,
    secret: 'Tst-Secret-8f3b2c',
    ...changes,
  };
}

describe('resolveReplaySettings', () => {
  beforeEach(async () => {
    await writeFile(path.join(directory, 'none.json'), '{}');
  });

  test('defaults: 10 events a second, 10 s for each answer, refused requests left out', async () => {
    const settings = await resolveReplaySettings(capture, flagsOf(), NOW);

    expect(settings).toMatchObject({
      rate: 10,
      timeoutMs: 10_000,
      isDryRun: false,
      isRefusedIncluded: false,
      filter: {},
      warnings: [expect.stringContaining('--secret is visible')],
    });
    expect(settings.target.href).toBe('http://127.0.0.1:3000/hooks');
    expect(settings.secret).toMatchObject({ source: 'flag' });
    expect(settings.input).toMatchObject({ name: capture, size: 0 });
  });

  test('--include-refused, once registered, turns refused requests with a body on', async () => {
    const settings = await resolveReplaySettings(
      capture,
      flagsOf({ includeRefused: true }),
      NOW,
    );

    expect(settings.isRefusedIncluded).toBe(true);
  });

  test('the secret comes from a --secret-file too, with no warning', async () => {
    const file = path.join(directory, 'secret');
    await writeFile(file, 'From-File-Secret\n');

    const settings = await resolveReplaySettings(
      capture,
      flagsOf({ secret: undefined, secretFile: file }),
      NOW,
    );

    expect(settings.secret).toMatchObject({
      value: 'From-File-Secret',
      source: 'file',
    });
    expect(settings.warnings).toEqual([]);
  });

  test('no secret is refused for a real run, and fine for a dry run', async () => {
    await expectUsageError(
      resolveReplaySettings(capture, flagsOf({ secret: undefined }), NOW),
      'replay.noSecret',
      /the capture holds it masked.*ASTRADIAL_WEBHOOK_SECRET/,
    );
    const dryRun = await resolveReplaySettings(
      capture,
      flagsOf({ secret: undefined, dryRun: true }),
      NOW,
    );
    expect(dryRun.secret).toBeUndefined();
  });

  test.each([
    [{ rate: 0 }, 'usage.invalidNumber', /--rate 0 is not a pace/],
    [{ rate: -5 }, 'usage.invalidNumber', /--rate -5/],
    [{ timeout: '0s' }, 'usage.invalidDuration', /--timeout/],
    [
      { to: 'http://192.0.2.1/hooks' },
      'target.insecureUrl',
      /Refusing to send events/,
    ],
    [{ to: 'ftp://127.0.0.1/' }, 'target.unsupportedProtocol', /"ftp:"/],
    [
      { to: 'https://events.astradial.com/acme' },
      'target.astradial',
      /AstraDial's own ingest/,
    ],
    [
      { to: 'https://EVENTS.astradial.com./acme', insecure: true },
      'target.astradial',
      /receiver you are building/,
    ],
  ])('%j is refused', async (changes, code, message) => {
    await expectUsageError(
      resolveReplaySettings(capture, flagsOf(changes), NOW),
      code,
      message,
    );
  });

  test('--insecure lets plain http go to another machine, with a warning', async () => {
    const settings = await resolveReplaySettings(
      capture,
      flagsOf({ to: 'http://192.0.2.1/hooks', insecure: true }),
      NOW,
    );

    expect(settings.target.host).toBe('192.0.2.1');
    expect(settings.warnings).toContainEqual(
      expect.stringContaining('to 192.0.2.1 over plain http (--insecure)'),
    );
  });

  test('a rate below one a second is kept', async () => {
    const settings = await resolveReplaySettings(
      capture,
      flagsOf({ rate: 0.5 }),
      NOW,
    );

    expect(settings.rate).toBe(0.5);
  });
});

describe('the capture argument', () => {
  beforeEach(async () => {
    await writeFile(path.join(directory, 'none.json'), '{}');
  });

  test.each([
    [
      '-',
      'replay.captureNotAFile',
      /Standard input \(-\) is not a regular file.*Save it to a file first/,
    ],
    ['', 'replay.noSuchCapture', /empty/],
    [
      'gone.ndjson',
      'replay.noSuchCapture',
      /No file named gone\.ndjson \(looked in .*\)/,
    ],
  ])('%j is refused', async (argument, code, message) => {
    await expectUsageError(
      resolveReplaySettings(argument, flagsOf(), NOW),
      code,
      message,
    );
  });

  test('a folder is refused', async () => {
    const folder = path.join(directory, 'captures');
    await mkdir(folder);

    await expectUsageError(
      resolveReplaySettings(folder, flagsOf(), NOW),
      'replay.captureIsFolder',
      /is a folder/,
    );
  });

  test('a relative path is found from the working folder', async () => {
    const settings = await resolveReplaySettings(
      'capture.ndjson',
      flagsOf(),
      NOW,
    );

    expect(settings.input.name).toBe('capture.ndjson');
  });
});
