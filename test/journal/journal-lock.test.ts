import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { openJournal } from '../../src/journal/push-journal.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const makeTempDirectory = useTempDirectories();
const IDENTITY = {
  inputPath: '/data/leads.csv',
  size: 10,
  sha256: 'cd'.repeat(32),
  target: 'http://127.0.0.1:9/acme',
};

/** The pid of a process that has already exited. */
function goneProcessId(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

async function journalPath(): Promise<string> {
  return path.join(await makeTempDirectory(), 'leads.csv.push-state');
}

describe('one run at a time per journal', () => {
  test('a second run of the same journal is refused while the first holds it', async () => {
    const file = await journalPath();
    const first = await openJournal(file, IDENTITY, { restart: false });

    const second = openJournal(file, IDENTITY, { restart: false });

    await expect(second).rejects.toMatchObject({
      code: 'state.locked',
      message: expect.stringContaining(
        `Another push of this file is running (process ${process.pid} on ${hostname()}`,
      ),
    });
    const lock = JSON.parse(await readFile(`${file}.lock`, 'utf8'));
    expect(lock.pid).toBe(process.pid);
    await first.journal.close();
  });

  test('closing releases the lock, and the next run opens the journal', async () => {
    const file = await journalPath();
    const first = await openJournal(file, IDENTITY, { restart: false });
    first.journal.recordDelivered(2);
    await first.journal.close();

    expect(existsSync(`${file}.lock`)).toBe(false);
    const next = await openJournal(file, IDENTITY, { restart: false });
    expect(next.history?.stateOf(2)).toBe('delivered');
    await next.journal.close();
  });

  test('a lock left by a process that is gone (kill -9) is taken over', async () => {
    const file = await journalPath();
    const stale = { pid: goneProcessId(), host: hostname(), startedAt: 'x' };
    await writeFile(`${file}.lock`, JSON.stringify(stale));

    const opened = await openJournal(file, IDENTITY, { restart: false });

    const lock = JSON.parse(await readFile(`${file}.lock`, 'utf8'));
    expect(lock.pid).toBe(process.pid);
    await opened.journal.close();
  });

  test('a lock file cut short while being written is taken over', async () => {
    const file = await journalPath();
    await writeFile(`${file}.lock`, '{"pid":');

    const opened = await openJournal(file, IDENTITY, { restart: false });

    await opened.journal.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  test('a lock held on another machine is respected, whatever its pid', async () => {
    const file = await journalPath();
    const remote = {
      pid: goneProcessId(),
      host: 'other-laptop',
      startedAt: 'x',
    };
    await writeFile(`${file}.lock`, JSON.stringify(remote));

    await expect(
      openJournal(file, IDENTITY, { restart: false }),
    ).rejects.toMatchObject({
      code: 'state.locked',
      message: expect.stringContaining('on other-laptop'),
    });
  });

  test('a refused identity releases the lock it took', async () => {
    const file = await journalPath();
    const first = await openJournal(file, IDENTITY, { restart: false });
    await first.journal.close();

    await expect(
      openJournal(file, { ...IDENTITY, size: 11 }, { restart: false }),
    ).rejects.toMatchObject({ code: 'state.inputChanged' });
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
