import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';

import { describe, expect, test } from 'vitest';

import { LEAD_PUSH } from '../../src/contract/schemas.js';
import {
  csvLines,
  readRejects,
  SECRET,
  usePushFixture,
  sortedBodies,
} from '../helpers/push-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';

const fixture = usePushFixture();

const THREE_LEADS = csvLines(
  'customer_name,phone_number,city',
  'Asha Test,9000012301,Pune',
  'Ravi Sample,9000012302,Nagpur',
  'Meera Demo,9000012303,Indore',
);

describe('push delivers', () => {
  test('when every row is good then each is sent once and push exits 0', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

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
    const request = sandbox.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/acme_test');
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['x-webhook-secret']).toBe(SECRET);
    expect(existsSync(rejectsPath)).toBe(false);
    expect(result.stderr).toContain('3 delivered');
  });

  test('when the file comes on standard input then it is pushed the same way', async () => {
    const sandbox = await fixture.sandbox();
    const cwd = await fixture.makeDirectory();

    const result = await fixture.push(
      ['-', '--url', `${sandbox.url}/acme_test`],
      {
        stdin: THREE_LEADS,
        cwd,
      },
    );

    expect(result.exitCode).toBe(0);
    expect(sandbox.deliveredBodies()).toHaveLength(3);
  });

  test('when the file is a named pipe then it is read once and pushed', async () => {
    const sandbox = await fixture.sandbox();
    const directory = await fixture.makeDirectory();
    const pipe = path.join(directory, 'leads.fifo');
    execFileSync('mkfifo', [pipe]);

    const run = fixture.push([
      pipe,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rejects',
      path.join(directory, 'rejects.csv'),
    ]);
    await writeFile(pipe, THREE_LEADS);
    const result = await run;

    expect(result.exitCode).toBe(0);
    expect(sandbox.deliveredBodies()).toHaveLength(3);
  });

  test('when --json is given then stdout holds one JSON summary and nothing else', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--json',
    ]);

    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      outcome: 'delivered',
      rows: 3,
      delivered: 3,
      rejected: 0,
      reasons: {},
      rejectsFile: null,
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('push converts each row to the contract', () => {
  test('phone shapes from real exports all become E.164', async () => {
    const sandbox = await fixture.sandbox();
    const shapes = [
      '98765 43210',
      '098765-43210',
      '919876543210',
      '0091 98765 43210',
      '+91 98765 43210',
      '="9876543210"',
      '919876543210.0',
      '98765\u00A043210',
      '\u200B9876543210',
    ];
    const rows = shapes.map((shape, index) => {
      const cell = shape.startsWith('="') ? shape : `"${shape}"`;
      return `Lead ${index},${cell}`;
    });
    const { file } = await fixture.writeCsv(csvLines('Name,Mobile', ...rows));

    // One number in many shapes: duplicates on purpose.
    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--duplicates',
      'send',
    ]);

    expect(result.stderr).toContain(`${shapes.length} delivered`);
    expect(result.exitCode).toBe(0);
    const phones = sandbox
      .deliveredBodies()
      .map((body) => (body as { phone_number: string }).phone_number);
    expect(phones).toEqual(shapes.map(() => '+919876543210'));
  });

  test('dates become ISO 8601 with the offset of --timezone', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(
      csvLines(
        'customer_name,phone_number,Registration Date,event_date',
        'A,9000012301,04/05/2026,15/03/2026 10:30',
        'B,9000012302,2026-03-10,15/03/2026 10:30:45',
        'C,9000012303,46096.4375,2026-03-15T10:30:00Z',
      ),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--timezone',
      'Asia/Kolkata',
    ]);

    expect(result.exitCode).toBe(0);
    const dates = sandbox
      .deliveredBodies()
      .map((body) => [
        (body as Record<string, string>).register_date,
        (body as Record<string, string>).event_date,
      ]);
    expect(dates).toEqual([
      ['2026-05-04T00:00:00+05:30', '2026-03-15T10:30:00+05:30'],
      ['2026-03-10T00:00:00+05:30', '2026-03-15T10:30:45+05:30'],
      ['2026-03-15T10:30:00+05:30', '2026-03-15T10:30:00+00:00'],
    ]);
  });

  test('every lead sent meets the contract schema', async () => {
    const sandbox = await fixture.sandbox();
    const directory = await fixture.makeDirectory();

    const result = await fixture.push([
      'fixtures/leads.csv',
      '--url',
      `${sandbox.url}/acme_test`,
      '--timezone',
      'Asia/Kolkata',
      '--rate',
      '1000',
      '--rejects',
      `${directory}/rejects.csv`,
      '--state',
      `${directory}/leads.push-state`,
    ]);

    expect(result.exitCode).toBe(1);
    const bodies = sandbox.deliveredBodies();
    expect(bodies.length).toBeGreaterThan(300);
    for (const body of bodies) {
      expect(LEAD_PUSH.safeParse(body).error).toBeUndefined();
    }
  });

  test('--date-format reads month-first dates', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(
      csvLines(
        'customer_name,phone_number,event_date',
        'A,9000012301,03/15/2026 10:30',
      ),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--timezone',
      'Asia/Kolkata',
      '--date-format',
      'MM/DD/YYYY HH:mm',
    ]);

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'A',
          phone_number: '+919000012301',
          event_date: '2026-03-15T10:30:00+05:30',
        },
      ]),
    );
  });

  test('custom columns pass through unchanged and empty optional cells are left out', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(
      csvLines(
        'Customer Name,Mobile No.,Pincode,Budget,Notes,event_date',
        'Asha Test,9000012301,011001,"1,00,000", spaced ,',
        'Ravi Sample,9000012302,,,,',
      ),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012301',
          Pincode: '011001',
          Budget: '1,00,000',
          Notes: ' spaced ',
        },
        { customer_name: 'Ravi Sample', phone_number: '+919000012302' },
      ]),
    );
  });

  test('--map sends a column under the field it names', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(
      csvLines('Client,Alt Mobile,city', 'Asha Test,9000012301,Pune'),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--map',
      'customer_name=Client',
      '--map',
      'phone_number=Alt Mobile',
    ]);

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012301',
          city: 'Pune',
        },
      ]),
    );
  });

  test('semicolon files in Windows-1252 are read right without options', async () => {
    const sandbox = await fixture.sandbox();
    const bytes = Buffer.concat([
      Buffer.from('customer_name;phone_number;remarks\r\nJos', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(';9000012301;Budget ', 'latin1'),
      Buffer.from([0x80]),
      Buffer.from(' 5\r\n', 'latin1'),
    ]);
    const { file } = await fixture.writeCsv(bytes);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'José',
          phone_number: '+919000012301',
          remarks: 'Budget € 5',
        },
      ]),
    );
  });

  test('UTF-16 "Unicode Text" exports with tabs are read right', async () => {
    const sandbox = await fixture.sandbox();
    const text = 'Name\tMobile\tcity\r\nAsha Test\t9000012301\tPune\r\n';
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text, 'utf16le'),
    ]);
    const { file } = await fixture.writeCsv(bytes);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012301',
          city: 'Pune',
        },
      ]),
    );
  });
});

describe('push rejects bad rows and keeps them', () => {
  test('bad rows go to the rejects file with line, reason and original cells; exit 1', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(
      csvLines(
        'Name,Mobile,city,register_date',
        'Asha Test,9000012301,Pune,01/03/2026',
        'Ravi Sample,9.19877E+11,Nagpur,01/03/2026',
        'Two Numbers,"98765 43210, 98765 43211",Goa,',
        ',9000012304,Surat,',
        'Bad Date,9000012305,Thane,31/02/2026',
        'Formula,=1+2,Pune,',
        'Invalid,5555555555,Pune,',
      ),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--timezone',
      'Asia/Kolkata',
    ]);

    expect(result.exitCode).toBe(1);
    expect(sandbox.requestCount()).toBe(1);
    const rows = await readRejects(rejectsPath);
    expect(rows[0]).toEqual([
      'astradial_line',
      'astradial_reason',
      'astradial_detail',
      'Name',
      'Mobile',
      'city',
      'register_date',
    ]);
    const byLine = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byLine.get('3')?.slice(1, 2)).toEqual(['phone_scientific_notation']);
    expect(byLine.get('3')?.[2]).toMatch(
      /format the column as Text and export again/i,
    );
    expect(byLine.get('3')?.slice(3)).toEqual([
      'Ravi Sample',
      '9.19877E+11',
      'Nagpur',
      '01/03/2026',
    ]);
    expect(byLine.get('4')?.[1]).toBe('phone_multiple_numbers');
    expect(byLine.get('5')?.[1]).toBe('name_missing');
    expect(byLine.get('6')?.[1]).toBe('date_invalid');
    expect(byLine.get('6')?.[2]).toContain('31/02/2026');
    expect(byLine.get('7')?.[1]).toBe('phone_invalid');
    // The formula cell is defused for Excel.
    expect(byLine.get('7')?.[4]).toBe("'=1+2");
    expect(byLine.get('8')?.[1]).toBe('phone_invalid');
    expect(rows).toHaveLength(7);
    expect(result.stderr).toContain('6 not delivered');
  });

  test('a fixed rejects file can be pushed again and sends the original values', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath, directory } = await fixture.writeCsv(
      csvLines('Name,Mobile,Note', 'Ravi Sample,,-urgent'),
    );
    const first = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);
    expect(first.exitCode).toBe(1);

    const rejects = await readFile(rejectsPath, 'utf8');
    const fixed = rejects.replace('Ravi Sample,,', 'Ravi Sample,9000012302,');
    const { file: fixedFile } = await fixture.writeCsv(fixed, 'fixed.csv');
    const second = await fixture.push([
      fixedFile,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(directory).toBeTruthy();
    expect(second.exitCode).toBe(0);
    expect(sortedBodies(sandbox.deliveredBodies())).toEqual(
      sortedBodies([
        {
          customer_name: 'Ravi Sample',
          phone_number: '+919000012302',
          Note: '-urgent',
        },
      ]),
    );
  });

  test('--dry-run checks every row, writes the rejects and sends nothing', async () => {
    const sandbox = await fixture.sandbox();
    const { file, rejectsPath } = await fixture.writeCsv(
      csvLines('Name,Mobile', 'Asha Test,9000012301', 'No Phone,'),
    );

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--dry-run',
      '--json',
    ]);

    expect(result.exitCode).toBe(1);
    expect(sandbox.requestCount()).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      dryRun: true,
      rows: 2,
      ready: 1,
      delivered: 0,
      rejected: 1,
      reasons: { phone_missing: 1 },
    });
    expect((await readRejects(rejectsPath))[1]?.slice(0, 2)).toEqual([
      '3',
      'phone_missing',
    ]);
  });
});

describe('push and the server answers', () => {
  test('when the server answers 401 then push stops at once with exit 3, and the rerun command resumes', async () => {
    const sandbox = await fixture.sandbox({ secret: 'another-secret' });
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rate',
      '2',
    ]);

    expect(result.exitCode).toBe(3);
    expect(sandbox.requestCount()).toBe(1);
    expect(result.stderr).toContain(
      'Stopped: the server refused the webhook secret (401): The X-Webhook-Secret header value is wrong.',
    );
    expect(result.stderr).toMatch(
      /Check the secret from ASTRADIAL_WEBHOOK_SECRET/,
    );
    // Nothing was stored, so nothing is in the rejects file: the journal
    // keeps the three rows for the rerun, which the summary spells out.
    expect(existsSync(rejectsPath)).toBe(false);
    expect(result.stderr).toContain('3 left for the next run');
    expect(result.stderr).toContain(
      `  astradial push ${file} --url ${sandbox.url}/acme_test --rate 2`,
    );

    const fixed = await fixture.sandbox();
    const rerun = await fixture.push([file, '--url', `${fixed.url}/acme_test`]);
    expect(rerun.exitCode).toBe(2);
    expect(rerun.stderr).toContain(
      `records a push to ${sandbox.url}/acme_test, not to ${fixed.url}/acme_test. To push this file to ${fixed.url}/acme_test too, give --state <other path>`,
    );
  });

  test('--state and --rejects naming one file is refused before sending', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(THREE_LEADS);
    const shared = `${directory}/both.csv`;

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--state',
      shared,
      '--rejects',
      shared,
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--state and --rejects name the same file');
    expect(sandbox.requestCount()).toBe(0);
  });

  test('without a journal, the rows a 401 stopped go to the rejects file as not_sent', async () => {
    const sandbox = await fixture.sandbox({ secret: 'another-secret' });
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--no-state',
    ]);

    expect(result.exitCode).toBe(3);
    const rows = await readRejects(rejectsPath);
    expect(rows.slice(1).map((row) => row[1])).toEqual([
      'not_sent',
      'not_sent',
      'not_sent',
    ]);
    expect(rows[1]?.[2]).toContain('401');
  });

  test('when the server answers 415 then push stops with exit 3', async () => {
    const sandbox = await fixture.sandbox({
      respond: () => ({
        status: 415,
        body: '{"status":"error","message":"Unsupported"}',
      }),
    });
    const { file } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rate',
      '2',
    ]);

    expect(result.exitCode).toBe(3);
    expect(sandbox.requestCount()).toBe(1);
    expect(result.stderr).toMatch(/415/);
  });

  test('when another 4xx comes back then that row is rejected with the server words', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.body.includes('Ravi')
          ? {
              status: 422,
              body: '{"status":"error","message":"phone blocked"}',
            }
          : undefined,
    });
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(1);
    expect(sandbox.deliveredBodies()).toHaveLength(2);
    const rows = await readRejects(rejectsPath);
    expect(rows[1]?.slice(0, 2)).toEqual(['3', 'server_rejected']);
    expect(rows[1]?.[2]).toContain('phone blocked');
  });

  test('when the server answers 500 once then the row is retried and delivered once', async () => {
    let failed = false;
    const sandbox = await fixture.sandbox({
      respond: () => {
        if (failed) return undefined;
        failed = true;
        return { status: 500, body: 'boom' };
      },
    });
    const { file } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(0);
    expect(sandbox.statusCounts()).toEqual({ 200: 3, 500: 1 });
    const phones = sandbox
      .deliveredBodies()
      .map((body) => (body as { phone_number: string }).phone_number);
    expect(new Set(phones).size).toBe(3);
  });

  test('when the connection drops after the request then the row is uncertain, and --resend-uncertain sends it once more', async () => {
    let dropped = false;
    const sandbox = await fixture.sandbox({
      respond: () => {
        if (dropped) return undefined;
        dropped = true;
        return { destroy: true };
      },
    });
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);

    expect(result.exitCode).toBe(1);
    expect(sandbox.requestCount()).toBe(3);
    expect(sandbox.deliveredBodies()).toHaveLength(2);
    const rows = await readRejects(rejectsPath);
    expect(rows.slice(1).map((row) => row.slice(0, 2))).toEqual([
      [expect.any(String), 'uncertain'],
    ]);
    expect(rows[1]![2]).toContain('may have stored it');
    expect(result.stderr).toMatch(
      /1 row may have reached AstraDial without a confirmed answer \(line \d\)/,
    );

    // Pushing the rejects file as it is sends nothing it calls uncertain.
    const rejectsPush = await fixture.push([
      rejectsPath,
      '--url',
      `${sandbox.url}/acme_test`,
      '--no-state',
    ]);
    expect(rejectsPush.exitCode).toBe(1);
    expect(sandbox.requestCount()).toBe(3);
    expect(rejectsPush.stderr).toContain('1 row may have reached AstraDial');

    const again = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
    ]);
    expect(again.exitCode).toBe(1);
    expect(sandbox.requestCount()).toBe(3);

    const resent = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--resend-uncertain',
    ]);
    expect(resent.exitCode).toBe(0);
    expect(sandbox.requestCount()).toBe(4);
    expect(sandbox.deliveredBodies()).toHaveLength(3);
    expect(resent.stderr).toContain('2 delivered by an earlier run');
  });

  test('when the server answers 429 with Retry-After then sending pauses that long', async () => {
    let throttledAt = 0;
    const sandbox = await fixture.sandbox({
      respond: (request) => {
        if (request.index > 0) return undefined;
        throttledAt = request.receivedAt;
        return {
          status: 429,
          headers: { 'Retry-After': '2' },
          body: '{"status":"error"}',
        };
      },
    });
    const { file } = await fixture.writeCsv(THREE_LEADS);

    // At 1 request per second the next slot falls inside the pause.
    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rate',
      '1',
    ]);

    expect(result.exitCode).toBe(0);
    expect(sandbox.deliveredBodies()).toHaveLength(3);
    const next = sandbox.requests[1]!;
    expect(next.receivedAt - throttledAt).toBeGreaterThanOrEqual(1_900);
  });

  test('when the server keeps failing one row then it is left for the rerun, which delivers it', async () => {
    let isRaviRefused = true;
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        isRaviRefused && request.body.includes('Ravi')
          ? { status: 503, body: 'maintenance' }
          : undefined,
    });
    const { file } = await fixture.writeCsv(THREE_LEADS);
    const args = [file, '--url', `${sandbox.url}/acme_test`, '--json'];

    const result = await fixture.push(args);

    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      delivered: 2,
      left: 1,
      leftReasons: { server_error: 1 },
      rejected: 0,
    });

    isRaviRefused = false;
    const rerun = JSON.parse((await fixture.push(args)).stdout);
    expect(rerun).toMatchObject({
      outcome: 'delivered',
      delivered: 1,
      alreadyDelivered: 2,
      left: 0,
    });
    expect(sandbox.deliveredBodies()).toHaveLength(3);
  }, 60_000);

  test('without a journal, a row the server keeps failing goes to the rejects file', async () => {
    const sandbox = await fixture.sandbox({
      respond: (request) =>
        request.body.includes('Ravi')
          ? { status: 503, body: 'maintenance' }
          : undefined,
    });
    const { file, rejectsPath } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--no-state',
    ]);

    expect(result.exitCode).toBe(1);
    const rows = await readRejects(rejectsPath);
    expect(rows[1]?.slice(0, 2)).toEqual(['3', 'server_error']);
    expect(rows[1]?.[2]).toContain('503');
  }, 60_000);
});

describe('push exit codes for usage errors', () => {
  test.each([
    ['no target', [], 'push.noTarget'],
    [
      'plain http to another host',
      ['--url', 'http://leads.example.invalid/acme'],
      'plain http',
    ],
    [
      'a rate above the platform limit',
      ['--company', 'acme', '--rate', '61'],
      'at most 60',
    ],
    ['an unknown option', ['--nope'], 'unknown option'],
    ['an empty company code', ['--company', ''], '--company'],
    [
      'a URL as the company code',
      ['--company', 'https://events.astradial.com/acme'],
      '--company',
    ],
    [
      'the AstraDial host with a trailing dot above its limit',
      ['--url', 'https://EVENTS.astradial.com./acme', '--rate', '500'],
      'at most 60',
    ],
    ['a rate of zero', ['--company', 'acme', '--rate', '0'], '--rate'],
    [
      'an unknown delimiter',
      ['--company', 'acme', '--delimiter', 'x'],
      '--delimiter',
    ],
  ])(
    'when given %s then push exits 2 before sending',
    async (_name, args, message) => {
      const { file } = await fixture.writeCsv(THREE_LEADS);
      // A dry run: should a check ever let these through, still nothing is
      // sent to AstraDial's host.
      const dryRun = message === 'push.noTarget' ? [] : ['--dry-run'];

      const result = await fixture.push([file, ...args, ...dryRun]);

      expect(result.exitCode).toBe(2);
      expect(result.stderr.toLowerCase()).toContain(
        message === 'push.noTarget' ? '--company' : message.toLowerCase(),
      );
    },
  );

  test('when the rejects file would be the input then push refuses, file or stdin', async () => {
    const sandbox = await fixture.sandbox();
    const { file, directory } = await fixture.writeCsv(
      THREE_LEADS,
      'stdin.rejects.csv',
    );
    const url = `${sandbox.url}/acme_test`;

    const named = await fixture.push([file, '--url', url, '--rejects', file]);
    const piped = await fixture.push(['-', '--url', url], {
      cwd: directory,
      stdinFile: file,
    });

    for (const result of [named, piped]) {
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('is the file being pushed');
    }
    expect(sandbox.requestCount()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(THREE_LEADS);
  });

  test('when the rejects file cannot be written then push exits 2 before sending', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([
      file,
      '--url',
      `${sandbox.url}/acme_test`,
      '--rejects',
      '/nonexistent-folder/rejects.csv',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('/nonexistent-folder/rejects.csv');
    expect(sandbox.requestCount()).toBe(0);
  });

  test('when the file does not exist then push exits 2 naming it', async () => {
    const result = await fixture.push([
      '/nonexistent/leads.csv',
      '--company',
      'acme',
      '--dry-run',
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('/nonexistent/leads.csv');
    expect(result.stderr).toContain('there is no such file');
  });

  test('when a part of the path is a file then push says so', async () => {
    const { file } = await fixture.writeCsv(THREE_LEADS);

    const result = await fixture.push([`${file}/leads.csv`, '--dry-run']);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not a folder');
  });

  test('when the header repeats a column then nothing is sent and push exits 2', async () => {
    const sandbox = await fixture.sandbox();
    const { file } = await fixture.writeCsv(
      csvLines('Name,Mobile,city,mobile ', 'A,9000012301,Pune,9000012302'),
    );

    for (const extra of [[], ['--dry-run']]) {
      const result = await fixture.push([
        file,
        '--url',
        `${sandbox.url}/acme_test`,
        ...extra,
      ]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/Mobile/i);
    }
    expect(sandbox.requestCount()).toBe(0);
  });
});

describe('push and a broken standard input', () => {
  test('when stdin breaks partway then the rows before are accounted for and push exits 4', async () => {
    const sandbox = await fixture.sandbox({ rateLimit: 0 });
    const lines = ['customer_name,phone_number'];
    for (let index = 0; index < 200; index += 1) {
      lines.push(`Lead ${index},90000${10000 + index}`);
    }
    lines.push('"Unclosed quote,9000099999');
    for (let index = 0; index < 50; index += 1)
      lines.push(`Late ${index},9000020000`);
    const cwd = await fixture.makeDirectory();

    const result = await fixture.push(
      ['-', '--url', `${sandbox.url}/acme_test`, '--rate', '2000', '--json'],
      { stdin: csvLines(...lines), cwd },
    );

    expect(result.exitCode).toBe(4);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ outcome: 'inputBroken', rows: 200 });
    expect(summary.inputError).toMatch(/line 202/);
    expect(summary.delivered + summary.rejected).toBe(200);
    expect(sandbox.deliveredBodies()).toHaveLength(summary.delivered);
  });
});

/**
 * Pushes 100 distinct leads at 20/s with --json (unless `json` is false)
 * and sends SIGINT once six requests have arrived.
 */
async function pushHundredThenInterrupt(extraArgs: string[], json = true) {
  const sandbox = await fixture.sandbox();
  const lines = ['customer_name,phone_number'];
  for (let index = 0; index < 100; index += 1) {
    lines.push(`Lead ${index},90000${String(10000 + index)}`);
  }
  const { file, rejectsPath } = await fixture.writeCsv(csvLines(...lines));
  const args = [
    'push',
    file,
    '--url',
    `${sandbox.url}/acme_test`,
    '--rate',
    '20',
    ...(json ? ['--json'] : []),
    ...extraArgs,
  ];
  const run = startCli({ args, env: { ASTRADIAL_WEBHOOK_SECRET: SECRET } });
  while (sandbox.requestCount() < 6) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  run.child.kill('SIGINT');
  return { sandbox, file, rejectsPath, args, result: await run.result };
}

describe('push and interruptions', () => {
  test('when Ctrl-C arrives then in-flight rows finish, the state is saved, and the rerun sends the rest once', async () => {
    const { sandbox, file, rejectsPath, args, result } =
      await pushHundredThenInterrupt([]);

    expect(result.exitCode).toBe(130);
    const summary = JSON.parse(result.stdout);
    expect(summary.outcome).toBe('interrupted');
    expect(summary.delivered).toBeGreaterThan(5);
    expect(summary.delivered).toBeLessThan(100);
    expect(summary.delivered + summary.left).toBe(100);
    expect(summary.leftReasons).toEqual({ not_sent: summary.left });
    expect(summary.stateFile).toBe(`${file}.push-state`);
    expect(summary.resumeCommand).toBe(`astradial ${args.join(' ')}`);
    expect(sandbox.deliveredBodies()).toHaveLength(summary.delivered);
    expect(existsSync(rejectsPath)).toBe(false);

    const rerun = await runCli({
      args: args.filter((arg) => arg !== '--rate' && arg !== '20'),
      env: { ASTRADIAL_WEBHOOK_SECRET: SECRET },
    });
    expect(rerun.exitCode).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      delivered: summary.left,
      alreadyDelivered: summary.delivered,
    });
    const phones = sandbox
      .deliveredBodies()
      .map((body) => (body as { phone_number: string }).phone_number);
    expect(phones).toHaveLength(100);
    expect(new Set(phones).size).toBe(100);
  });

  test.each([
    ['left for the next run', []],
    ['not sent (in the rejects file as not_sent)', ['--no-state']],
  ])(
    'when Ctrl-C stops a run then its summary counts the rows handled and those %s, not all rows as pushed',
    async (what, extraArgs) => {
      const { sandbox, result } = await pushHundredThenInterrupt(
        extraArgs,
        false,
      );

      expect(result.exitCode).toBe(130);
      const handled = sandbox.deliveredBodies().length;
      expect(handled).toBeLessThan(100);
      const headline = result.stderr
        .split('\n')
        .find((line) => line.startsWith('Push stopped'));
      expect(headline?.replace(/after [\d.]+s/, 'after Ns')).toBe(
        `Push stopped after Ns to ${sandbox.url}/acme_test: ${handled} of 100 rows handled, ${100 - handled} ${what}.`,
      );
      expect(result.stderr).not.toContain('100 rows in');
    },
  );

  test('without a journal, Ctrl-C writes the rows not sent to the rejects file, exit 130', async () => {
    const { sandbox, rejectsPath, result } = await pushHundredThenInterrupt([
      '--no-state',
    ]);

    expect(result.exitCode).toBe(130);
    const summary = JSON.parse(result.stdout);
    expect(summary.delivered + summary.rejected).toBe(100);
    const rejected = (await readRejects(rejectsPath)).slice(1);
    expect(rejected).toHaveLength(summary.rejected);
    expect(new Set(rejected.map((row) => row[1]))).toEqual(
      new Set(['not_sent']),
    );
    const sentPhones = new Set(
      sandbox
        .deliveredBodies()
        .map((body) => (body as { phone_number: string }).phone_number),
    );
    for (const row of rejected) {
      expect(sentPhones.has(`+91${row[4]}`)).toBe(false);
    }
  });
});
