import { once } from 'node:events';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  postEvent,
  useListenFixture,
} from '../helpers/listen-fixture.js';
import { PROJECT_ROOT, runCli, startCli } from '../helpers/run-cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

/** Exit codes by name, as README.md's table fixes them. */
const ALL_VALID = 0;
const INVALID = 1;
const UNREADABLE = 2;

const EVENTS = path.join(PROJECT_ROOT, 'fixtures', 'events');
const makeDirectory = useTempDirectories();
const startListen = useListenFixture();

type ReportLine = Record<string, unknown> & {
  type: string;
  problems?: Array<{ path: string; expected: string; found: string }>;
};

function reportOf(stdout: string): ReportLine[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReportLine);
}

function summaryOf(stdout: string): ReportLine {
  return reportOf(stdout).at(-1)!;
}

async function verifyJson(
  args: string[],
  options: { cwd?: string; stdin?: string } = {},
) {
  const result = await runCli({
    args: ['verify', ...args, '--reporter', 'json'],
    ...options,
  });
  return { ...result, report: reportOf(result.stdout) };
}

/** A capture made by a real listen: two valid events and one invalid. */
async function makeCapture() {
  const listener = await startListen();
  await postEvent(listener.url, CALL_LOG);
  await postEvent(listener.url, { ...CALL_LOG, direction: 'incoming' });
  await postEvent(listener.url, { ...CALL_LOG, call_id: 'c-3' });
  await listener.stop();
  return listener.capturePath;
}

describe('verify', () => {
  test('the sample events are all valid: exit 0 and a count per kind', async () => {
    const result = await runCli({ args: ['verify', EVENTS] });

    expect(result.exitCode).toBe(ALL_VALID);
    expect(result.stdout).toMatch(/call log\s+1 valid/);
    expect(result.stdout).toMatch(/lead push\s+1 valid/);
    expect(result.stdout).toMatch(/All 4 records valid in 4 files/);
  });

  test('a capture made by listen is checked by its bodies, and points at the invalid line', async () => {
    const capture = await makeCapture();

    const result = await verifyJson([capture]);

    expect(result.exitCode).toBe(INVALID);
    expect(result.report[0]).toMatchObject({
      type: 'record',
      line: 2,
      kind: 'call_log',
      isCapture: true,
      problems: [
        {
          path: 'direction',
          expected: 'inbound or outbound',
          found: '"incoming"',
        },
      ],
    });
    expect(summaryOf(result.stdout)).toMatchObject({
      valid: 2,
      invalid: 1,
      records: 3,
    });
  });

  test('a capture whose body no longer matches its hash is invalid, and says so', async () => {
    const capture = await makeCapture();
    const lines = (await readFile(capture, 'utf8')).trim().split('\n');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...CALL_LOG, duration: 999 }));
    first.bodyBase64 = edited.toString('base64');
    await writeFile(
      capture,
      [JSON.stringify(first), ...lines.slice(1)].join('\n') + '\n',
    );

    const result = await verifyJson([capture]);

    expect(result.exitCode).toBe(INVALID);
    expect(result.report[0]).toMatchObject({ line: 1, kind: 'call_log' });
    expect(result.report[0]!.problems!.map((problem) => problem.path)).toEqual([
      'bodySha256',
    ]);
    expect(result.report[0]!.problems![0]!.found).toMatch(
      /changed after capture/,
    );
  });

  test('a capture still being written: the cut-short last line is reported as such, not a crash', async () => {
    const capture = await makeCapture();
    await appendFile(
      capture,
      '{"receivedAt":"2026-12-04T10:00:00.000Z","method":"PO',
    );

    const result = await verifyJson([capture]);

    expect(result.exitCode).toBe(INVALID);
    expect(result.stderr).not.toMatch(/bug/);
    const cut = result.report.find((line) => line.line === 4);
    expect(cut?.problems?.[0]?.found).toMatch(
      /cut short[\s\S]*may still be being written/,
    );
    expect(summaryOf(result.stdout)).toMatchObject({ valid: 2, invalid: 2 });
  });

  test('a request listen refused before its body is skipped, and counted as such', async () => {
    const listener = await startListen();
    await postEvent(listener.url, CALL_LOG, { 'x-webhook-secret': 'wrong' });
    await postEvent(listener.url, CALL_LOG);
    await listener.stop();

    const result = await verifyJson([listener.capturePath]);

    expect(result.exitCode).toBe(ALL_VALID);
    expect(summaryOf(result.stdout)).toMatchObject({ valid: 1, skipped: 1 });
    expect(result.report[0]).toMatchObject({ outcome: 'skipped', line: 1 });
    expect(String(result.report[0]!.note)).toMatch(/401/);
  });

  test('standard input, JSON arrays with indexes, and --type', async () => {
    const array = JSON.stringify(
      [CALL_LOG, { ...CALL_LOG, duration: -5 }],
      null,
      2,
    );

    const result = await verifyJson(['-'], { stdin: array });
    const forced = await verifyJson(['-', '--type', 'tag-update'], {
      stdin: JSON.stringify(CALL_LOG),
    });

    expect(result.exitCode).toBe(INVALID);
    expect(result.report[0]).toMatchObject({
      file: '-',
      index: 1,
      kind: 'call_log',
    });
    expect(forced.exitCode).toBe(INVALID);
    expect(forced.report[0]).toMatchObject({ kind: 'tag_update' });
  });

  test('--strict refuses custom fields that the contract otherwise allows', async () => {
    const lead = await readFile(path.join(EVENTS, 'lead-push.json'), 'utf8');

    const loose = await verifyJson(['-'], { stdin: lead });
    const strict = await verifyJson(['-', '--strict'], { stdin: lead });

    expect(loose.exitCode).toBe(ALL_VALID);
    expect(strict.exitCode).toBe(INVALID);
    expect(strict.report[0]!.problems).toEqual([
      expect.objectContaining({ path: 'city', found: '"Pune"' }),
    ]);
  });

  test('globs are expanded by verify itself, and folders are searched', async () => {
    const directory = await makeDirectory();
    await mkdir(path.join(directory, 'day-1'));
    await writeFile(
      path.join(directory, 'day-1', 'a.ndjson'),
      `${JSON.stringify(CALL_LOG)}\n`,
    );
    await writeFile(
      path.join(directory, 'day-1', 'b.json'),
      JSON.stringify({ ...CALL_LOG, direction: 'up' }),
    );

    const glob = await verifyJson(['day-1/*.ndjson'], { cwd: directory });
    const folder = await verifyJson(['day-1'], { cwd: directory });

    expect(glob.exitCode).toBe(ALL_VALID);
    expect(summaryOf(glob.stdout)).toMatchObject({ files: 1, valid: 1 });
    expect(folder.exitCode).toBe(INVALID);
    expect(summaryOf(folder.stdout)).toMatchObject({
      files: 2,
      valid: 1,
      invalid: 1,
    });
  });

  test('a missing file, a glob matching nothing and an empty file are each reported, the others still checked, exit 2', async () => {
    const directory = await makeDirectory();
    await writeFile(path.join(directory, 'empty.ndjson'), '\n\n');
    const valid = path.join(EVENTS, 'call-log.json');

    const result = await verifyJson(
      ['nope.ndjson', 'captures/*.ndjson', 'empty.ndjson', valid],
      { cwd: directory },
    );
    const junit = await runCli({
      args: ['verify', 'nope.ndjson', valid, '--reporter', 'junit'],
      cwd: directory,
    });

    expect(result.exitCode).toBe(UNREADABLE);
    const failed = result.report.filter((line) => line.type === 'fileFailed');
    expect(failed.map((line) => line.file)).toEqual([
      'nope.ndjson',
      'captures/*.ndjson',
      'empty.ndjson',
    ]);
    expect(String(failed[2]!.message)).toMatch(/holds no records/);
    expect(summaryOf(result.stdout)).toMatchObject({
      files: 4,
      uncheckedFiles: 3,
      valid: 1,
    });
    expect(junit.exitCode).toBe(UNREADABLE);
    expect(junit.stdout).toMatch(/<error [^>]*nope\.ndjson/);
    expect(junit.stdout).toMatch(/name="1 valid record"/);
  });

  test('nothing to check at all is exit 2 with a word on stderr', async () => {
    const directory = await makeDirectory();
    await writeFile(path.join(directory, 'empty.ndjson'), '\n\n');

    const empty = await runCli({
      args: ['verify', 'empty.ndjson'],
      cwd: directory,
    });
    const noMatch = await runCli({
      args: ['verify', 'captures/*.ndjson'],
      cwd: directory,
    });

    expect(empty.exitCode).toBe(UNREADABLE);
    expect(empty.stdout).toMatch(/empty\.ndjson: holds no records/);
    expect(noMatch.exitCode).toBe(UNREADABLE);
    expect(noMatch.stdout).toMatch(/captures\/\*\.ndjson/);
  });

  test('a capture line answered 200 whose body was removed is invalid, not skipped', async () => {
    const capture = await makeCapture();
    const lines = (await readFile(capture, 'utf8')).trim().split('\n');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    delete first.bodyBase64;
    await writeFile(
      capture,
      [JSON.stringify(first), ...lines.slice(1)].join('\n') + '\n',
    );

    const result = await verifyJson([capture]);

    expect(result.exitCode).toBe(INVALID);
    expect(result.report[0]).toMatchObject({ line: 1, outcome: 'invalid' });
    expect(result.report[0]!.problems![0]!.path).toBe('bodyBase64');
  });

  test('SIGTERM and a closed output stop the run with 130, and no verdict', async () => {
    const directory = await makeDirectory();
    const file = path.join(directory, 'many-bad.ndjson');
    const bad = JSON.stringify({ ...CALL_LOG, duration: 'x' });
    await writeFile(file, `${Array(200_000).fill(bad).join('\n')}\n`);

    // As `| head -1` does: read the first output, then close the pipe.
    const piped = startCli({ args: ['verify', file] });
    await once(piped.child.stdout!, 'data');
    piped.child.stdout!.destroy();
    // SIGTERM once the first problems are out, so the run is under way.
    const terminated = startCli({ args: ['verify', file] });
    await once(terminated.child.stdout!, 'data');
    terminated.child.kill('SIGTERM');

    const pipedResult = await piped.result;
    const terminatedResult = await terminated.result;

    expect(pipedResult.exitCode).toBe(130);
    expect(pipedResult.stderr).toMatch(/standard output was closed/);
    expect(terminatedResult.exitCode).toBe(130);
    expect(terminatedResult.stderr).toMatch(/SIGTERM.*no verdict/);
    expect(terminatedResult.stdout).not.toMatch(/records invalid in/);
  });

  test('an unreadable file is reported and the others are still checked; exit 2 wins over 1', async () => {
    const directory = await makeDirectory();
    const invalid = path.join(directory, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ ...CALL_LOG, duration: '9' }));

    // The tests run as root, for whom no permission makes a file unreadable;
    // reading /proc/self/mem from its start fails with EIO on Linux.
    const result = await verifyJson([
      invalid,
      '/proc/self/mem',
      path.join(EVENTS, 'call-log.json'),
    ]);

    expect(result.exitCode).toBe(UNREADABLE);
    expect(result.report).toContainEqual(
      expect.objectContaining({ type: 'fileFailed', file: '/proc/self/mem' }),
    );
    expect(summaryOf(result.stdout)).toMatchObject({
      valid: 1,
      invalid: 1,
      uncheckedFiles: 1,
    });
  });

  test('usage mistakes exit 2: an unknown --type or --reporter', async () => {
    const type = await runCli({ args: ['verify', EVENTS, '--type', 'call'] });
    const reporter = await runCli({
      args: ['verify', EVENTS, '--reporter', 'xml'],
    });

    expect(type.exitCode).toBe(UNREADABLE);
    expect(type.stderr).toMatch(
      /call_log, lead_created, tag_update, lead_push/,
    );
    expect(reporter.exitCode).toBe(UNREADABLE);
    expect(reporter.stderr).toMatch(/junit/);
  });

  test('github and junit reporters point at the file and line from the CLI', async () => {
    const file = path.join(
      PROJECT_ROOT,
      '..',
      'shared',
      'cases',
      'inputs',
      'C24-windows-bom-crlf.ndjson',
    );

    const github = await runCli({
      args: ['verify', file, '--reporter', 'github'],
    });
    const junit = await runCli({
      args: ['verify', file, '--reporter', 'junit'],
    });

    expect(github.exitCode).toBe(INVALID);
    expect(github.stdout).toMatch(
      /^::error file=[^,]*C24-windows-bom-crlf\.ndjson,line=3,/m,
    );
    expect(junit.exitCode).toBe(INVALID);
    expect(junit.stdout).toMatch(/^<\?xml/);
    expect(junit.stdout).toMatch(/<failure /);
  });
});

describe('schema', () => {
  test('prints the JSON Schema of a kind, from the same rules verify applies', async () => {
    const result = await runCli({ args: ['schema', 'call_log'] });
    const schema = JSON.parse(result.stdout) as {
      required: string[];
      properties: Record<
        string,
        { enum?: string[]; type?: string; pattern?: string }
      >;
      additionalProperties: unknown;
    };

    expect(result.exitCode).toBe(0);
    expect(schema.required).toEqual(['call_id', 'duration', 'direction']);
    expect(schema.properties.direction!.enum).toEqual(['inbound', 'outbound']);
    expect(schema.properties.duration!.type).toBe('integer');
    expect(
      new RegExp(schema.properties.caller_id_number!.pattern!).test(
        '+919876543210',
      ),
    ).toBe(true);
    expect(
      new RegExp(schema.properties.caller_id_number!.pattern!).test(
        '09000012601',
      ),
    ).toBe(false);
    expect(schema.additionalProperties).toBeUndefined();
  });

  test('--strict closes every object; --target draft-7 names its draft', async () => {
    const result = await runCli({
      args: ['schema', 'lead-push', '--strict', '--target', 'draft-7'],
    });
    const schema = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['customer_name', 'phone_number']);
  });

  test('an unknown kind is a usage error naming the kinds', async () => {
    const result = await runCli({ args: ['schema', 'lead'] });

    expect(result.exitCode).toBe(UNREADABLE);
    expect(result.stderr).toMatch(
      /call_log, lead_created, tag_update, lead_push/,
    );
  });
});

describe('verify on a big file, checked on worker threads', () => {
  test('every record is counted once and the invalid ones are reported in order, with their lines', async () => {
    const directory = await makeDirectory();
    const file = path.join(directory, 'big.ndjson');
    // Over 8 MiB, so that verify checks it on worker threads; the odd
    // lines show that order and line numbers survive the threads.
    const valid = JSON.stringify({ ...CALL_LOG, call_id: 'c'.repeat(200) });
    const lines: string[] = [];
    const invalidLines: number[] = [];
    for (let line = 1; line <= 30_000; line += 1) {
      if (line % 7_001 === 0) {
        lines.push(JSON.stringify({ ...CALL_LOG, duration: `${line}` }));
        invalidLines.push(line);
      } else if (line === 12_345) {
        lines.push('{"call_id": "cut');
        invalidLines.push(line);
      } else if (line % 5_000 === 0) {
        lines.push('');
      } else {
        lines.push(valid);
      }
    }
    await writeFile(file, `${lines.join('\r\n')}\r\n`);

    const result = await verifyJson([file]);

    expect(result.exitCode).toBe(INVALID);
    const records = result.report.filter((line) => line.type === 'record');
    expect(records.map((record) => record.line)).toEqual(
      [...invalidLines].sort((left, right) => left - right),
    );
    expect(records[0]!.problems![0]).toMatchObject({
      path: 'duration',
      found: 'string "7001"',
    });
    expect(summaryOf(result.stdout)).toMatchObject({
      records: 30_000 - 6,
      invalid: invalidLines.length,
      valid: 30_000 - 6 - invalidLines.length,
    });
  });
});
