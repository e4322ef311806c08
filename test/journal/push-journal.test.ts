import { existsSync } from 'node:fs';
import { appendFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { UsageError } from '../../src/errors.js';
import { openAppendOnlyFile } from '../../src/journal/journal-file.js';
import {
  openJournal,
  type JournalIdentity,
} from '../../src/journal/push-journal.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const makeTempDirectory = useTempDirectories();

const IDENTITY: JournalIdentity = {
  inputPath: '/data/leads.csv',
  size: 1200,
  sha256: 'ab'.repeat(32),
  target: 'https://events.astradial.com/acme',
};

async function journalPathInTemp(): Promise<string> {
  return path.join(await makeTempDirectory(), 'leads.csv.journal');
}

async function readLines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n');
}

/** Opens, records through `write`, and closes: one earlier run. */
async function runOnce(
  journalPath: string,
  write: (
    journal: Awaited<ReturnType<typeof openJournal>>['journal'],
  ) => Promise<void>,
): Promise<void> {
  const { journal } = await openJournal(journalPath, IDENTITY, {
    restart: false,
  });
  await write(journal);
  await journal.close();
}

async function reopen(journalPath: string, identity = IDENTITY) {
  const opened = await openJournal(journalPath, identity, { restart: false });
  await opened.journal.close();
  return opened.history;
}

async function catchError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('a new journal', () => {
  test('starts with the header and no history', async () => {
    const journalPath = await journalPathInTemp();
    const before = Date.now();

    const { journal, history } = await openJournal(journalPath, IDENTITY, {
      restart: false,
    });
    await journal.close();

    expect(history).toBeUndefined();
    expect(journal.path).toBe(journalPath);
    const [headerLine, rest] = await readLines(journalPath);
    const header = JSON.parse(headerLine!);
    expect(header).toEqual({
      journal: 'astradial-push',
      version: 1,
      input: { path: '/data/leads.csv', size: 1200, sha256: 'ab'.repeat(32) },
      target: 'https://events.astradial.com/acme',
      createdAt: expect.any(String),
    });
    expect(Date.parse(header.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(rest).toBe('');
  });

  test('is readable and writable by its owner only', async () => {
    const journalPath = await journalPathInTemp();

    await runOnce(journalPath, async () => {});

    expect((await stat(journalPath)).mode & 0o777).toBe(0o600);
  });

  test('records are written in call order', async () => {
    const journalPath = await journalPathInTemp();

    await runOnce(journalPath, async (journal) => {
      const sending = [journal.markSending(1), journal.markSending(2)];
      journal.recordDelivered(1);
      sending.push(journal.markSending(3));
      journal.recordRejected(2, 'server_rejected', 'HTTP 400');
      journal.recordUncertain(3, 'timed out');
      sending.push(journal.markSending(4));
      journal.recordRetry(4);
      await Promise.all(sending);
    });

    expect((await readLines(journalPath)).slice(1)).toEqual([
      'S 1',
      'S 2',
      'D 1',
      'S 3',
      'R 2 {"reason":"server_rejected","detail":"HTTP 400"}',
      'U 3 {"detail":"timed out"}',
      'S 4',
      'N 4',
      '',
    ]);
  });

  test('200 concurrent markSending calls all resolve, in order', async () => {
    const journalPath = await journalPathInTemp();
    const lines = Array.from({ length: 200 }, (_, index) => index + 1);

    await runOnce(journalPath, async (journal) => {
      await Promise.all(lines.map((line) => journal.markSending(line)));
    });

    expect((await readLines(journalPath)).slice(1, -1)).toEqual(
      lines.map((line) => `S ${line}`),
    );
  });

  test('a sending record is on disk once markSending resolves', async () => {
    const journalPath = await journalPathInTemp();
    const { journal } = await openJournal(journalPath, IDENTITY, {
      restart: false,
    });

    await journal.markSending(5);

    expect((await readLines(journalPath)).slice(1)).toEqual(['S 5', '']);
    await journal.close();
  });

  test('close writes the buffered records', async () => {
    const journalPath = await journalPathInTemp();

    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
      journal.recordDelivered(1);
    });

    expect((await readLines(journalPath)).slice(1)).toEqual(['S 1', 'D 1', '']);
  });
});

describe('replaying a journal', () => {
  test('the last record for a line decides its state', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await Promise.all(
        [1, 2, 3, 4, 5].map((line) => journal.markSending(line)),
      );
      journal.recordDelivered(1);
      journal.recordRejected(2, 'server_rejected', 'HTTP 400: bad phone');
      journal.recordUncertain(3, 'no answer in 10 s');
      journal.recordRetry(4);
      await journal.markSending(4);
      journal.recordDelivered(4);
      journal.recordRetry(6);
      journal.recordUncertain(7, 'reset');
      await journal.markSending(7);
    });

    const history = await reopen(journalPath);

    expect(history).toBeDefined();
    const states = [1, 2, 3, 4, 5, 6, 7, 8].map((line) =>
      history!.stateOf(line),
    );
    expect(states).toEqual([
      'delivered',
      'rejected',
      'uncertain',
      'delivered',
      'sending',
      'retry',
      'sending',
      undefined,
    ]);
    expect(history!.rejectionOf(2)).toEqual({
      reason: 'server_rejected',
      detail: 'HTTP 400: bad phone',
    });
    expect(history!.rejectionOf(1)).toBeUndefined();
    expect(history!.uncertainDetailOf(3)).toBe('no answer in 10 s');
    expect(history!.uncertainDetailOf(7)).toBeUndefined();
    expect(history!.counts()).toEqual({
      delivered: 2,
      rejected: 1,
      uncertain: 3,
      retry: 1,
    });
  });

  test('the history keeps the date the journal was started', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async () => {});
    const [headerLine] = await readLines(journalPath);

    const history = await reopen(journalPath);

    expect(history?.createdAt).toBe(JSON.parse(headerLine!).createdAt);
  });

  test('new records go after the existing ones', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
      journal.recordDelivered(1);
    });

    await runOnce(journalPath, async (journal) => {
      await journal.markSending(2);
    });

    expect((await readLines(journalPath)).slice(1)).toEqual([
      'S 1',
      'D 1',
      'S 2',
      '',
    ]);
    expect((await reopen(journalPath))?.stateOf(1)).toBe('delivered');
  });

  test('a torn last line is ignored and cut off before appending', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
      journal.recordDelivered(1);
    });
    await appendFile(journalPath, 'S 2\nD 2'.slice(0, 6));

    const { journal, history } = await openJournal(journalPath, IDENTITY, {
      restart: false,
    });
    expect(history?.stateOf(2)).toBe('sending');
    expect((await readFile(journalPath, 'utf8')).endsWith('S 2\n')).toBe(true);
    await journal.markSending(3);
    await journal.close();

    const reopened = await reopen(journalPath);
    expect((await readLines(journalPath)).slice(1)).toEqual([
      'S 1',
      'D 1',
      'S 2',
      'S 3',
      '',
    ]);
    expect(reopened?.stateOf(3)).toBe('sending');
  });

  test('torn garbage at the end is ignored, not called damage', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
    });
    await appendFile(journalPath, 'D 1 \u0000\u0000{"');

    const history = await reopen(journalPath);

    expect(history?.stateOf(1)).toBe('sending');
  });

  test('a million-row journal replays with the right counts', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async () => {});
    const records: string[] = [];
    for (let line = 1; line <= 1_000_000; line += 1) {
      records.push(`S ${line}`, endOf(line));
    }
    await appendFile(journalPath, `${records.join('\n')}\n`);

    const history = await reopen(journalPath);

    expect(history?.counts()).toEqual({
      delivered: 960_000,
      rejected: 10_000,
      uncertain: 20_000,
      retry: 10_000,
    });
    expect(history?.stateOf(1_000_000)).toBe('delivered');
    expect(history?.stateOf(999_904)).toBe('rejected');
    expect(history?.rejectionOf(999_904)).toEqual({ reason: 'r', detail: 'd' });
    expect(history?.uncertainDetailOf(999_901)).toBe('timeout');
  });
});

/** 1 in 100 rows each: uncertain (U), retry, in flight (S), rejected. */
function endOf(line: number): string {
  switch (line % 100) {
    case 1:
      return `U ${line} {"detail":"timeout"}`;
    case 2:
      return `N ${line}`;
    case 3:
      return `S ${line}`;
    case 4:
      return `R ${line} {"reason":"r","detail":"d"}`;
    default:
      return `D ${line}`;
  }
}

describe('a journal that does not fit the push', () => {
  test('changed input content is refused with both paths named', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
      journal.recordDelivered(1);
    });

    for (const changed of [{ size: 1201 }, { sha256: 'cd'.repeat(32) }]) {
      const error = await catchError(
        openJournal(
          journalPath,
          { ...IDENTITY, ...changed },
          { restart: false },
        ),
      );

      expect(error.code).toBe('state.inputChanged');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('/data/leads.csv');
      expect(error.message).toContain(journalPath);
      expect(error.message).toContain('1 rows as delivered');
      expect(error.message).toContain(
        'If you edited rows to fix them, undo the edit and rerun this command to resume',
      );
      expect(error.message).toContain(
        'run again with --restart: it discards the journal and sends every row, also the 1 delivered before.',
      );
    }
  });

  test('changed input content with a rejects file names that file first, --restart last', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async () => {});
    const rejectsPath = '/data/leads.rejects.csv';

    const error = await catchError(
      openJournal(
        journalPath,
        { ...IDENTITY, size: 1201 },
        { restart: false, rejectsPath },
      ),
    );

    expect(error.code).toBe('state.inputChanged');
    expect(error.message).toContain(
      `writes the rows not delivered to the rejects file ${rejectsPath} again. Fix them there and push that file (astradial push ${rejectsPath} …)`,
    );
    expect(error.message.indexOf(rejectsPath)).toBeLessThan(
      error.message.indexOf('--restart'),
    );
  });

  test('another target is refused with both targets named, a separate --state advised before --restart', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async () => {});

    const error = await catchError(
      openJournal(
        journalPath,
        { ...IDENTITY, target: 'https://events.astradial.com/other' },
        { restart: false },
      ),
    );

    expect(error.code).toBe('state.otherTarget');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('https://events.astradial.com/acme');
    expect(error.message).toContain('https://events.astradial.com/other');
    // The safe way first; --restart last, with what it costs.
    expect(error.message.indexOf('--state <other path>')).toBeLessThan(
      error.message.indexOf('--restart'),
    );
    expect(error.message).toMatch(
      /--restart: it discards that journal and sends every row, also the rows delivered before, and the push to https:\/\/events\.astradial\.com\/acme can no longer resume\.$/,
    );
  });

  test('a journal moved with its input still resumes', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
    });

    const history = await reopen(journalPath, {
      ...IDENTITY,
      inputPath: '/elsewhere/leads.csv',
    });

    expect(history?.stateOf(1)).toBe('sending');
  });

  test('restart replaces the journal and its history', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
    });
    await appendFile(journalPath, 'not a record\n');

    const { journal, history } = await openJournal(
      journalPath,
      { ...IDENTITY, sha256: 'cd'.repeat(32) },
      { restart: true },
    );
    await journal.markSending(9);
    await journal.close();

    expect(history).toBeUndefined();
    const lines = await readLines(journalPath);
    expect(JSON.parse(lines[0]!).input.sha256).toBe('cd'.repeat(32));
    expect(lines.slice(1)).toEqual(['S 9', '']);
    expect((await stat(journalPath)).mode & 0o777).toBe(0o600);
  });
});

describe('a damaged journal', () => {
  test('a bad record before the end names its line, not its text', async () => {
    const journalPath = await journalPathInTemp();
    await runOnce(journalPath, async (journal) => {
      await journal.markSending(1);
    });
    await appendFile(journalPath, 'Q 2 secret-looking text\nD 1\n');

    const error = await catchError(
      openJournal(journalPath, IDENTITY, { restart: false }),
    );

    expect(error.code).toBe('state.damaged');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(journalPath);
    expect(error.message).toContain('line 3');
    expect(error.message).toContain('--restart');
    expect(error.message).not.toContain('secret-looking');
  });

  test.each([
    ['a header without its newline', '{"journal":"astradial-push"'],
    ['a header cut short', '{"journal":"astradial-push","version":1}\n'],
    [
      'a journal from a newer astradial',
      '{"journal":"astradial-push","version":2}\n',
    ],
  ])('%s is refused as damaged at line 1', async (_case, text) => {
    const journalPath = await journalPathInTemp();
    await writeFile(journalPath, text);

    const error = await catchError(
      openJournal(journalPath, IDENTITY, { restart: false }),
    );

    expect(error.code).toBe('state.damaged');
    expect(error.message).toContain('line 1');
  });
});

describe('a path that holds no journal', () => {
  test.each([
    ['an empty file', '', 'it is empty'],
    [
      'a CSV file',
      'customer_name,phone_number\nAsha,9000012301\n',
      'it starts with "customer_name,phone_number"',
    ],
    [
      'binary bytes',
      '\u0000\u0000\u0001',
      'it starts with "\\u0000\\u0000\\u0001"',
    ],
  ])(
    '%s is refused as not a journal, and --restart leaves it alone',
    async (_case, text, start) => {
      const journalPath = await journalPathInTemp();
      await writeFile(journalPath, text);

      for (const restart of [false, true]) {
        const error = await catchError(
          openJournal(journalPath, IDENTITY, { restart }),
        );

        expect(error.code).toBe('state.notAJournal');
        expect(error.exitCode).toBe(2);
        expect(error.message).toContain(
          `${journalPath} is not a push journal (${start}).`,
        );
        expect(error.message).toContain('Give --state another path');
      }
      expect(await readFile(journalPath, 'utf8')).toBe(text);
      expect(existsSync(`${journalPath}.lock`)).toBe(false);
    },
  );

  test('a folder is refused as not a file, with no lock made beside it', async () => {
    const directory = await makeTempDirectory();

    const error = await catchError(
      openJournal(directory, IDENTITY, { restart: true }),
    );

    expect(error.code).toBe('state.notAFile');
    expect(error.message).toContain(
      `The state path ${directory} is a folder, not a file`,
    );
    expect(existsSync(`${directory}.lock`)).toBe(false);
  });
});

describe('a journal that cannot be written', () => {
  test('a path under a regular file is refused as unwritable', async () => {
    const directory = await makeTempDirectory();
    const notADirectory = path.join(directory, 'leads.csv');
    await writeFile(notADirectory, 'customer_name\n');
    const journalPath = path.join(notADirectory, 'journal');

    const error = await catchError(
      openJournal(journalPath, IDENTITY, { restart: false }),
    );

    expect(error.code).toBe('state.unwritable');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(journalPath);
    expect(error.message).toContain('not a directory');
    expect(error.message).toContain('--state <path>');
    expect(error.message).toContain('--no-state');
    expect(error.cause).toMatchObject({ code: 'ENOTDIR' });
  });

  test('a missing folder is refused as unwritable', async () => {
    const journalPath = path.join(
      await makeTempDirectory(),
      'missing',
      'journal',
    );

    const error = await catchError(
      openJournal(journalPath, IDENTITY, { restart: true }),
    );

    expect(error.code).toBe('state.unwritable');
    expect(error.message).toContain('no such file or directory');
  });

  test('a failed write becomes state.unwritable', async () => {
    const directory = await makeTempDirectory();
    const file = path.join(directory, 'journal');
    await writeFile(file, '');
    const readOnly = await open(file, 'r');
    const appendOnly = openAppendOnlyFile(readOnly, file, 0);

    const error = await catchError(appendOnly.append('S 1\n'));

    expect(error.code).toBe('state.unwritable');
    expect(error.message).toContain(file);
    await readOnly.close();
  });
});
