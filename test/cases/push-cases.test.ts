import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { PROJECT_ROOT } from '../helpers/run-cli.js';
import {
  readRejects,
  SECRET,
  usePushFixture,
  sortedBodies,
} from '../helpers/push-fixture.js';

/**
 * The push cases of shared/cases: real users' situations, each with its
 * right behaviour (shared/cases/README.md). Exit codes by name: ROWS_REJECTED
 * is 1, USAGE is 2.
 */
const CASES = path.join(PROJECT_ROOT, '..', 'shared', 'cases', 'inputs');
const ROWS_REJECTED = 1;
const USAGE = 2;

const fixture = usePushFixture();

async function pushCase(
  name: string,
  extra: string[] = [],
  env: Record<string, string | undefined> = {},
) {
  const sandbox = await fixture.sandbox();
  const { file, rejectsPath } = await fixture.writeCsv(
    await readFile(path.join(CASES, name)),
    name,
  );
  const result = await fixture.push(
    [
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--timezone',
      'Asia/Kolkata',
      ...extra,
    ],
    { env },
  );
  return { sandbox, result, rejectsPath };
}

describe('shared/cases: push', () => {
  test('C01: a BOM and Excel headers still give clean keys', async () => {
    const { sandbox, result } = await pushCase('C01-bom-excel-headers.csv');

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012301',
          city: 'Pune',
        },
        {
          customer_name: 'Ravi Sample',
          phone_number: '+919000012302',
          city: 'Nagpur',
        },
        {
          customer_name: 'Meera Demo',
          phone_number: '+919000012303',
          city: 'Indore',
        },
      ]),
    );
    expect(JSON.stringify(sandbox.deliveredBodies())).not.toMatch(/\uFEFF|\\r/);
  });

  test.each([[[]], [['--dry-run']]])(
    'C02: a duplicated header is refused before sending %j',
    async (extra) => {
      const { sandbox, result } = await pushCase(
        'C02-duplicate-header.csv',
        extra,
      );

      expect(result.exitCode).toBe(USAGE);
      expect(sandbox.requestCount()).toBe(0);
      expect(result.stderr).toContain('Mobile');
      expect(result.stderr).toMatch(/columns 2 and 4/i);
      expect(result.stderr).toMatch(/--map|rename/i);
    },
  );

  test('C03: a phone number in scientific notation is rejected, never guessed', async () => {
    const { sandbox, result, rejectsPath } = await pushCase(
      'C03-phone-scientific-notation.csv',
    );

    expect(result.exitCode).toBe(ROWS_REJECTED);
    expect(
      sandbox
        .deliveredBodies()
        .map((body) => (body as { phone_number: string }).phone_number),
    ).toEqual(['+919000012321', '+919000012323']);
    expect(
      JSON.stringify(
        sandbox.requests.map((request) => request.body.toString()),
      ),
    ).not.toContain('Ravi');
    const rows = await readRejects(rejectsPath);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(0, 2)).toEqual(['3', 'phone_scientific_notation']);
    expect(rows[1]?.[2]).toMatch(/format the column as Text and export again/i);
    expect(rows[1]?.slice(3)).toEqual(['Ravi Sample', '9.19E+11', 'Nagpur']);
  });

  test.each([[[]], [['--encoding', 'windows-1252']]])(
    'C05: Windows-1252 text arrives as written %j',
    async (extra) => {
      const { sandbox, result } = await pushCase('C05-windows-1252.csv', extra);

      expect(result.exitCode).toBe(0);
      expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
        sortedBodies([
          {
            customer_name: 'Asha D\u2019Souza',
            phone_number: '+919000012351',
            remarks: 'Budget \u20AC 2000 \u2013 \u201C4BHK\u201D',
          },
          {
            customer_name: 'Ravi Sample',
            phone_number: '+919000012352',
            remarks: 'plain ascii',
          },
        ]),
      );
      expect(JSON.stringify(sandbox.deliveredBodies())).not.toMatch(
        /[\uFFFD\u0080-\u009F]/,
      );
    },
  );

  test('C07: blank and comma-only rows are skipped, not rejected', async () => {
    const { sandbox, result, rejectsPath } = await pushCase(
      'C07-blank-and-comma-rows.csv',
      ['--json'],
    );

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012371',
          city: 'Pune',
        },
        {
          customer_name: 'Ravi Sample',
          phone_number: '+919000012372',
          city: 'Nagpur',
        },
      ]),
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      rows: 2,
      rejected: 0,
      blankLines: 4,
    });
    expect(existsSync(rejectsPath)).toBe(false);
  });

  test('C08: a row with an extra cell is rejected whole, with every cell kept', async () => {
    const { sandbox, result, rejectsPath } =
      await pushCase('C08-extra-cell.csv');

    expect(result.exitCode).toBe(ROWS_REJECTED);
    expect(
      sandbox
        .deliveredBodies()
        .map((body) => (body as { phone_number: string }).phone_number),
    ).toEqual(['+919000012381', '+919000012383']);
    const rows = await readRejects(rejectsPath);
    expect(rows[1]?.slice(0, 2)).toEqual(['3', 'column_count']);
    expect(rows[1]?.[2]).toMatch(/5 cells.*3/);
    expect(rows[1]?.slice(3)).toEqual([
      'Ravi Sample',
      '9000012382',
      'Flat 4',
      ' MG Road',
      'Nagpur',
    ]);
  });

  test('C10: impossible dates are rejected, never rolled over', async () => {
    const { sandbox, result, rejectsPath } = await pushCase(
      'C10-impossible-dates.csv',
    );

    expect(result.exitCode).toBe(ROWS_REJECTED);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012401',
          register_date: '2028-02-29T00:00:00+05:30',
          event_date: '2026-03-15T10:30:00+05:30',
        },
      ]),
    );
    const rows = (await readRejects(rejectsPath)).slice(1);
    expect(rows.map((row) => [row[0], row[1]])).toEqual([
      ['3', 'date_invalid'],
      ['4', 'date_invalid'],
      ['5', 'date_invalid'],
    ]);
    expect(rows.map((row) => row[2])).toEqual([
      expect.stringMatching(/register_date.*31\/02\/2026/),
      expect.stringMatching(/register_date.*29\/02\/2026/),
      expect.stringMatching(/register_date.*31\/04\/2026/),
    ]);
  });

  test.each([
    ['an HTTP date', () => new Date(Date.now() + 3_000).toUTCString()],
    ['seconds', () => '3'],
  ])(
    'C11: Retry-After as %s holds every request until then',
    async (_name, retryAfter) => {
      let notBefore = 0;
      const sandbox = await fixture.sandbox({
        respond: (request) => {
          if (request.index > 0) return undefined;
          const value = retryAfter();
          notBefore =
            value === '3' ? request.receivedAt + 3_000 : Date.parse(value);
          return {
            status: 429,
            headers: { 'Retry-After': value },
            body: '{"status":"error"}',
          };
        },
      });
      const { file, rejectsPath } = await fixture.writeCsv(
        await readFile(path.join(CASES, 'C11-retry-after-http-date.csv')),
      );

      const result = await fixture.push([
        file,
        '--url',
        `${sandbox.url}/acme_test`,
        '--rate',
        '1',
      ]);

      expect(result.exitCode).toBe(0);
      // An HTTP date has whole seconds, so it can fall up to 1 s before now + 3 s.
      expect(sandbox.requests[1]!.receivedAt).toBeGreaterThanOrEqual(
        notBefore - 100,
      );
      const phones = sandbox
        .deliveredBodies()
        .map((body) => (body as { phone_number: string }).phone_number);
      expect(phones.sort()).toEqual([
        '+919000012411',
        '+919000012412',
        '+919000012413',
        '+919000012414',
        '+919000012415',
      ]);
      expect(existsSync(rejectsPath)).toBe(false);
    },
    30_000,
  );

  test('C11: a Retry-After date already past means sending again at once', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.index === 0
          ? {
              status: 429,
              headers: {
                'Retry-After': new Date(Date.now() - 60_000).toUTCString(),
              },
            }
          : undefined,
    });
    const { file } = await fixture.writeCsv(
      await readFile(path.join(CASES, 'C11-retry-after-http-date.csv')),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rate',
      '20',
    ]);

    expect(result.exitCode).toBe(0);
    expect(
      sandbox.requests[1]!.receivedAt - sandbox.requests[0]!.receivedAt,
    ).toBeLessThan(900);
    expect(sandbox.deliveredBodies()).toHaveLength(5);
  });

  test('C13: a secret file with CRLF sends the bare secret', async () => {
    const { sandbox, result } = await pushCase(
      'C01-bom-excel-headers.csv',
      ['--secret-file', path.join(CASES, 'C13-secret-file-crlf.txt')],
      { ASTRADIAL_WEBHOOK_SECRET: undefined },
    );

    expect(result.exitCode).toBe(0);
    expect(
      sandbox.requests.map((request) => request.headers['x-webhook-secret']),
    ).toEqual([SECRET, SECRET, SECRET]);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});
