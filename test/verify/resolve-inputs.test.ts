import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';

import { describe, expect, test, vi } from 'vitest';

import { readRecords } from '../../src/verify/read-records.js';
import {
  resolveInputs,
  type VerifyInput,
} from '../../src/verify/resolve-inputs.js';
import { useTempDirectories } from '../helpers/temp-directory.js';
import { expectUsageError } from '../helpers/expect-usage-error.js';

// Tests run as root here, where no permission stops a read; a folder
// named `locked` stands in for one this user may not list.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readdir = (folder: string, options: unknown) =>
    String(folder).endsWith('/locked')
      ? Promise.reject(
          Object.assign(new Error(`EACCES: permission denied, ${folder}`), {
            code: 'EACCES',
            errno: -13,
          }),
        )
      : actual.readdir(folder, options as { withFileTypes: true });
  return { ...actual, readdir };
});

const makeTempDirectory = useTempDirectories();

/** Makes the files (path → content) under a fresh temp directory. */
async function makeTree(files: Record<string, string>): Promise<string> {
  const root = await makeTempDirectory();
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

async function readAll(input: VerifyInput): Promise<unknown[]> {
  const records: unknown[] = [];
  for await (const batch of readRecords(input)) records.push(...batch);
  return records;
}

function namesOf(inputs: VerifyInput[]): string[] {
  return inputs.map((input) => input.name);
}

async function contentOf(input: VerifyInput | undefined): Promise<string> {
  return text(input!.open() as NodeJS.ReadableStream & AsyncIterable<Buffer>);
}

describe('files and standard input', () => {
  test('- is standard input, with no size', async () => {
    const [input, ...rest] = await resolveInputs(['-'], '/');

    expect(rest).toEqual([]);
    expect(input?.name).toBe('-');
    expect(input?.size).toBeUndefined();
    expect(input?.open()).toBe(process.stdin);
  });

  test('- named twice is a usage error', async () => {
    await expectUsageError(
      resolveInputs(['-', 'a.json', '-'], '/'),
      'verify.stdinTwice',
      /^Standard input \(-\) is named 2 times, but it can be read only once\. Pass - a single time\.$/,
    );
  });

  test('a file is taken whatever its name ends in, named as given, with its size', async () => {
    const root = await makeTree({ 'captures/events.txt': '{"a":1}\n' });

    const inputs = await resolveInputs(['captures/events.txt'], root);

    expect(namesOf(inputs)).toEqual(['captures/events.txt']);
    expect(inputs[0]?.size).toBe(8);
    expect(await contentOf(inputs[0])).toBe('{"a":1}\n');
  });

  test('paths are relative to cwd, not the process', async () => {
    const root = await makeTree({ 'one.json': '1' });

    const inputs = await resolveInputs(['one.json'], root);

    expect(await contentOf(inputs[0])).toBe('1');
    await expectUsageError(
      resolveInputs(['one.json'], path.join(root, 'elsewhere')),
      'verify.noSuchInput',
      /elsewhere/,
    );
  });

  test('each open() gives a fresh stream from the start', async () => {
    const root = await makeTree({ 'a.json': 'abc' });
    const [input] = await resolveInputs(['a.json'], root);

    expect(await contentOf(input)).toBe('abc');
    expect(await contentOf(input)).toBe('abc');
  });

  test('an empty path is a usage error, not the working folder', async () => {
    const root = await makeTree({ 'a.json': '{}' });

    await expectUsageError(
      resolveInputs([''], root),
      'verify.noSuchInput',
      /^One of the paths given is empty \(an unset shell variable\?\)\./,
    );
  });

  test('a missing path is a usage error naming it and where it was looked for', async () => {
    const root = await makeTree({ 'a.json': '{}' });

    await expectUsageError(
      resolveInputs(['a.json', 'captures/missing.ndjson'], root),
      'verify.noSuchInput',
      new RegExp(
        `^No file or folder named captures/missing\\.ndjson \\(looked in ${root}\\)\\. Check the path, or pass - to read standard input\\.$`,
      ),
    );
  });

  test('a symbolic link to nothing says so, naming its target', async () => {
    const root = await makeTree({ 'a.json': '{}' });
    await symlink('captures/nothere.json', path.join(root, 'dangling.json'));

    await expectUsageError(
      resolveInputs(['dangling.json'], root),
      'verify.noSuchInput',
      new RegExp(
        `^dangling\\.json is a symbolic link to captures/nothere\\.json \\(${root}/captures/nothere\\.json\\), which does not exist\\. Point the link at the file of records, or name that file itself\\.$`,
      ),
    );
  });

  test('a symbolic link to a missing absolute path names it once', async () => {
    const root = await makeTempDirectory();
    await symlink('/nonexistent/x.ndjson', path.join(root, 'link[1].ndjson'));

    await expectUsageError(
      resolveInputs(['link[1].ndjson'], root),
      'verify.noSuchInput',
      /^link\[1\]\.ndjson is a symbolic link to \/nonexistent\/x\.ndjson, which does not exist\./,
    );
  });

  test('a named pipe is read as a stream, with no size', async () => {
    const root = await makeTempDirectory();
    execFileSync('mkfifo', [path.join(root, 'pipe')]);

    const inputs = await resolveInputs(['pipe'], root);

    expect(namesOf(inputs)).toEqual(['pipe']);
    expect(inputs[0]?.size).toBeUndefined();
  });

  test('inputs keep the order they were named in', async () => {
    const root = await makeTree({ 'b.json': '', 'a.json': '', 'c.json': '' });

    const inputs = await resolveInputs(['c.json', 'a.json', 'b.json'], root);

    expect(namesOf(inputs)).toEqual(['c.json', 'a.json', 'b.json']);
  });
});

describe('folders', () => {
  const tree = {
    'captures/b.ndjson': '',
    'captures/a.json': '',
    'captures/day-2/c.jsonl': '',
    'captures/day-1/UPPER.JSON': '',
    'captures/notes.txt': '',
    'captures/.hidden.json': '',
    'captures/.git/objects.json': '',
    'captures/node_modules/package.json': '',
    'captures/day-1/node_modules/x.json': '',
  };

  test('a folder gives its record files at any depth, sorted, skipping hidden ones and node_modules', async () => {
    const root = await makeTree(tree);

    const inputs = await resolveInputs(['captures'], root);

    expect(namesOf(inputs)).toEqual([
      'captures/a.json',
      'captures/b.ndjson',
      'captures/day-1/UPPER.JSON',
      'captures/day-2/c.jsonl',
    ]);
    expect(inputs.every((input) => input.size === 0)).toBe(true);
  });

  test('a folder named with a trailing slash or as . gives the same files', async () => {
    const root = await makeTree(tree);

    const withSlash = await resolveInputs(['captures/'], root);
    const asDot = await resolveInputs(['.'], path.join(root, 'captures'));

    expect(namesOf(withSlash)).toEqual(
      namesOf(await resolveInputs(['captures'], root)),
    );
    expect(namesOf(asDot)).toEqual([
      'a.json',
      'b.ndjson',
      'day-1/UPPER.JSON',
      'day-2/c.jsonl',
    ]);
  });

  test('a hidden file inside a folder is skipped, but read when named or matched by a pattern with the dot', async () => {
    const root = await makeTree({
      'captures/a.json': '',
      'captures/.draft.json': '',
    });

    expect(namesOf(await resolveInputs(['captures'], root))).toEqual([
      'captures/a.json',
    ]);
    expect(namesOf(await resolveInputs(['captures/*.json'], root))).toEqual([
      'captures/a.json',
    ]);
    expect(
      namesOf(await resolveInputs(['captures/.draft.json'], root)),
    ).toEqual(['captures/.draft.json']);
    expect(namesOf(await resolveInputs(['captures/.*.json'], root))).toEqual([
      'captures/.draft.json',
    ]);
  });

  test('a hidden folder named on purpose is read', async () => {
    const root = await makeTree({ '.captures/a.json': '' });

    const inputs = await resolveInputs(['.captures'], root);

    expect(namesOf(inputs)).toEqual(['.captures/a.json']);
  });

  test('a link to a file counts, a link to a folder is not followed', async () => {
    const root = await makeTree({
      'elsewhere/x.json': '',
      'captures/a.json': '',
    });
    await symlink(
      path.join(root, 'elsewhere/x.json'),
      path.join(root, 'captures/linked.json'),
    );
    await symlink(root, path.join(root, 'captures/loop'));

    const inputs = await resolveInputs(['captures'], root);

    expect(namesOf(inputs)).toEqual([
      'captures/a.json',
      'captures/linked.json',
    ]);
  });

  test('a folder inside that cannot be listed is an input that fails when read', async () => {
    const root = await makeTree({
      'captures/a.json': '{}',
      'captures/locked/b.json': '{}',
    });

    const inputs = await resolveInputs(['captures'], root);

    expect(namesOf(inputs)).toEqual(['captures/a.json', 'captures/locked']);
    await expectUsageError(
      readAll(inputs[1]!),
      'verify.inputUnreadable',
      /^Cannot read captures\/locked: permission denied \(EACCES\)\. Check its permissions/,
    );
  });

  test('a folder with no record file is a usage error', async () => {
    const root = await makeTree({
      'captures/notes.txt': '',
      'captures/.x.json': '',
    });

    await expectUsageError(
      resolveInputs(['captures'], root),
      'verify.emptyFolder',
      /^No \.json, \.ndjson, \.jsonl file in the folder captures \(hidden files and folders, and node_modules, are skipped\)\./,
    );
  });
});

describe('globs', () => {
  const tree = {
    'captures/2026-04/a.ndjson': '',
    'captures/2026-03/b.ndjson': '',
    'captures/2026-03/c.json': '',
    'captures/top.ndjson': '',
    'captures/.hidden/d.ndjson': '',
    'captures/folder.ndjson/e.txt': '',
  };

  test('a quoted ** glob gives the matching files, sorted, files only', async () => {
    const root = await makeTree(tree);

    const inputs = await resolveInputs(['captures/**/*.ndjson'], root);

    expect(namesOf(inputs)).toEqual([
      'captures/2026-03/b.ndjson',
      'captures/2026-04/a.ndjson',
      'captures/top.ndjson',
    ]);
    expect(inputs[0]?.size).toBe(0);
  });

  test('braces, ? and [] work, relative to cwd', async () => {
    const root = await makeTree(tree);
    const cwd = path.join(root, 'captures');

    const inputs = await resolveInputs(['2026-0[3]/{b,c}.*js?n'], cwd);

    expect(namesOf(inputs)).toEqual(['2026-03/b.ndjson', '2026-03/c.json']);
  });

  test('a glob reaching out of cwd names files by their shortest path from it', async () => {
    const root = await makeTree(tree);

    const inputs = await resolveInputs(
      ['../../captures/*.ndjson'],
      path.join(root, 'captures/2026-03'),
    );

    expect(namesOf(inputs)).toEqual(['../top.ndjson']);
  });

  test('an absolute glob gives absolute names', async () => {
    const root = await makeTree(tree);

    const inputs = await resolveInputs([`${root}/captures/2026-04/*`], '/');

    expect(namesOf(inputs)).toEqual([`${root}/captures/2026-04/a.ndjson`]);
  });

  test('a file whose name holds glob characters is that file, not a pattern', async () => {
    const root = await makeTree({ 'run[1].json': '{}', 'run1.json': '' });

    const inputs = await resolveInputs(['run[1].json'], root);

    expect(namesOf(inputs)).toEqual(['run[1].json']);
    expect(inputs[0]?.size).toBe(2);
  });

  test('a glob that matches nothing is a usage error', async () => {
    const root = await makeTree(tree);

    await expectUsageError(
      resolveInputs(['captures/*.jsonl'], root),
      'verify.globMatchedNothing',
      new RegExp(
        `^No file matches captures/\\*\\.jsonl \\(looked in ${root}\\)\\. Check the pattern, or quote it so the shell does not expand it\\.$`,
      ),
    );
  });

  test('a glob that matches only folders matches nothing', async () => {
    const root = await makeTree(tree);

    await expectUsageError(
      resolveInputs(['captures/folder.*'], root),
      'verify.globMatchedNothing',
      /captures\/folder\.\*/,
    );
  });
});

describe('duplicates', () => {
  test('a file named twice, or by another spelling, is read once, where first named', async () => {
    const root = await makeTree({ 'a.json': '', 'b.json': '' });

    const inputs = await resolveInputs(
      ['b.json', 'a.json', './b.json', `${root}/a.json`, 'b.json'],
      root,
    );

    expect(namesOf(inputs)).toEqual(['b.json', 'a.json']);
  });

  test('a file named and also matched by a glob or a folder is read once', async () => {
    const root = await makeTree({
      'captures/a.ndjson': '',
      'captures/b.ndjson': '',
      'captures/c.json': '',
    });

    const inputs = await resolveInputs(
      ['captures/b.ndjson', 'captures/*.ndjson', 'captures'],
      root,
    );

    expect(namesOf(inputs)).toEqual([
      'captures/b.ndjson',
      'captures/a.ndjson',
      'captures/c.json',
    ]);
  });

  test('a link and the file it points to are read once', async () => {
    const root = await makeTree({ 'real.json': '' });
    await symlink(path.join(root, 'real.json'), path.join(root, 'link.json'));

    const inputs = await resolveInputs(['real.json', 'link.json'], root);

    expect(namesOf(inputs)).toEqual(['real.json']);
  });
});

describe('a link inside a folder whose target is gone', () => {
  test('is an input that fails when read, saying where the link points, not a file left out', async () => {
    const folder = await makeTempDirectory();
    await writeFile(path.join(folder, 'a.ndjson'), '{}\n');
    await symlink(
      path.join(folder, 'nothere.json'),
      path.join(folder, 'gone.ndjson'),
    );

    const inputs = await resolveInputs([folder], folder);

    expect(inputs.map((input) => path.basename(input.name))).toEqual([
      'a.ndjson',
      'gone.ndjson',
    ]);
    const failure = await text(
      inputs[1]!.open() as NodeJS.ReadableStream & AsyncIterable<Buffer>,
    ).catch((error: Error) => error.message);
    expect(failure).toMatch(
      /symbolic link to .*nothere\.json, which cannot be opened/,
    );
  });
});
