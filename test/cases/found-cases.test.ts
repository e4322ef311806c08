import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { describe, expect, test } from 'vitest';

import {
  CALL_LOG,
  expectCapturedOnce,
  expectNoSecret,
  SECRET,
  sendRaw,
  sha256,
  statusOf,
  tailOf,
  useListenFixture,
  type Listener,
} from '../helpers/listen-fixture.js';
import {
  csvLines,
  readRejects,
  usePushFixture,
  sortedBodies,
} from '../helpers/push-fixture.js';
import type { Sandbox } from '../../src/sandbox/ingest-sandbox.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

/**
 * Situations of the same kinds as shared/cases, found in public reports
 * (issue trackers of CSV parsers, webhook tools, JSON validators), for
 * which astradial already behaves right. Each test's name cites its source.
 * Exit codes by name: ROWS_REJECTED and INVALID are 1.
 */
const ROWS_REJECTED = 1;
const INVALID = 1;

const fixture = usePushFixture();
const startListen = useListenFixture();
const makeDirectory = useTempDirectories();

async function pushCsv(content: string | Buffer, extra: string[] = []) {
  const sandbox = await fixture.sandbox();
  const { file, rejectsPath } = await fixture.writeCsv(content);
  const result = await fixture.push([
    file,
    '--url',
    `${sandbox.url}/acme_test`,
    '--timezone',
    'Asia/Kolkata',
    ...extra,
  ]);
  return { sandbox, result, rejectsPath };
}

/** The bodies of "Asha Test,9000012301,Pune" and "Ravi Sample,9000012302,Nagpur". */
const ASHA_AND_RAVI_WITH_CITY = [
  { customer_name: 'Asha Test', phone_number: '+919000012301', City: 'Pune' },
  {
    customer_name: 'Ravi Sample',
    phone_number: '+919000012302',
    City: 'Nagpur',
  },
];

/** The run's exit code, and exactly these bodies kept by the sandbox, in any order. */
function expectDelivered(
  sandbox: Sandbox,
  result: CliResult,
  exitCode: number,
  bodies: object[],
): void {
  expect(result.exitCode).toBe(exitCode);
  expect(sortedBodies(sandbox.deliveredBodies())).toEqual(sortedBodies(bodies));
}

async function stopAndRead(listener: Listener) {
  const result = await listener.stop();
  const records = await listener.readCapture();
  expectNoSecret(
    await readFile(listener.capturePath, 'utf8'),
    result.stdout,
    result.stderr,
  );
  return { result, records, tail: tailOf(result.stdout) };
}

/** The raw bytes of one POST, with the body sent chunked in two pieces. */
function chunkedRequest(body: string): Buffer {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const chunk = (part: Buffer) =>
    Buffer.concat([
      Buffer.from(`${part.length.toString(16)}\r\n`),
      part,
      Buffer.from('\r\n'),
    ]);
  return Buffer.concat([
    Buffer.from(
      [
        'POST /webhooks HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `X-Webhook-Secret: ${SECRET}`,
        'Transfer-Encoding: chunked',
        'Connection: close',
        '',
        '',
      ].join('\r\n'),
    ),
    chunk(bytes.subarray(0, half)),
    chunk(bytes.subarray(half)),
    Buffer.from('0\r\n\r\n'),
  ]);
}

function rawRequest(body: string): Buffer {
  return Buffer.from(
    [
      'POST /webhooks HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      `X-Webhook-Secret: ${SECRET}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
  );
}

const CALL_LOG_WITH_TRAILING_COMMA =
  '{"call_id":"c-2026-0100","duration":95,"direction":"inbound",' +
  '"caller_id_number":"+919000012501","call_to_number":"+919000099001",}';

/** The case of jqlang/jq#1509: the first value is wrong, the last right. */
const CALL_LOG_WITH_DIRECTION_TWICE =
  '{"call_id":"c-2026-0102","duration":95,"direction":"incoming",' +
  '"caller_id_number":"+919000012501","call_to_number":"+919000099001",' +
  '"direction":"inbound"}';

describe('found cases: push', () => {
  test('ryancramerdesign/ImportPagesCSV#26 (German Excel exports CSV with ";"): a semicolon-separated Windows-1252 file arrives whole, decimal commas unchanged', async () => {
    const file = Buffer.concat([
      Buffer.from('Name;Mobile;Budget;Stadt\r\nJ'),
      Buffer.from([0xfc]),
      Buffer.from('rgen M'),
      Buffer.from([0xfc]),
      Buffer.from('ller;9000012301;1.234,50;M'),
      Buffer.from([0xfc]),
      Buffer.from('nchen\r\nAsha Test;9000012302;2,5;K'),
      Buffer.from([0xf6]),
      Buffer.from('ln\r\n'),
    ]);

    const { sandbox, result } = await pushCsv(file);

    expectDelivered(sandbox, result, 0, [
      {
        customer_name: 'J\u00fcrgen M\u00fcller',
        phone_number: '+919000012301',
        Budget: '1.234,50',
        Stadt: 'M\u00fcnchen',
      },
      {
        customer_name: 'Asha Test',
        phone_number: '+919000012302',
        Budget: '2,5',
        Stadt: 'K\u00f6ln',
      },
    ]);
  });

  test.each([
    ['one', ','],
    ['three', ',,,'],
  ])(
    'dataculturegroup/DataBasic#176, deephaven/deephaven-core#1800 (Excel ends every line with a delimiter): %s trailing empty column(s) are not sent and no row is rejected',
    async (_name, trailing) => {
      const { sandbox, result, rejectsPath } = await pushCsv(
        csvLines(
          `Name,Mobile,City${trailing}`,
          `Asha Test,9000012301,Pune${trailing}`,
          `Ravi Sample,9000012302,Nagpur${trailing}`,
        ),
      );

      expectDelivered(sandbox, result, 0, ASHA_AND_RAVI_WITH_CITY);
      await expect(readFile(rejectsPath)).rejects.toThrow(/ENOENT/);
    },
  );

  test.each([
    [
      'the header alone (FSharp.Data#688, xlson/groovycsv#36)',
      'Name,Mobile,City,',
      '',
    ],
    ['the rows alone (tickbin/tickbin#233)', 'Name,Mobile,City', ','],
  ])(
    'a trailing delimiter on %s adds only empty cells under no column: every row is delivered',
    async (_where, header, rowEnd) => {
      const { sandbox, result, rejectsPath } = await pushCsv(
        csvLines(
          header,
          `Asha Test,9000012301,Pune${rowEnd}`,
          `Ravi Sample,9000012302,Nagpur${rowEnd}`,
        ),
      );

      expectDelivered(sandbox, result, 0, ASHA_AND_RAVI_WITH_CITY);
      await expect(readFile(rejectsPath)).rejects.toThrow(/ENOENT/);
    },
  );

  test('a trailing delimiter is no licence for text past the header: an extra cell with text is still rejected (C08)', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines(
        'Name,Mobile,City',
        'Asha Test,9000012301,Pune,',
        'Ravi Sample,9000012302,Nagpur,MH',
      ),
    );

    expect(result.exitCode).toBe(ROWS_REJECTED);
    expect(sandbox.deliveredBodies()).toHaveLength(1);
  });

  // Each city holds another candidate delimiter, which must stay in the cell.
  test.each([
    ['sep=;', ';', 'Pune, MH'],
    ['sep=,', ',', 'Pune; MH'],
    ['SEP=|', '|', 'Pune, MH'],
    ['sep=\t', '\t', 'Pune; MH'],
  ])(
    'tspence/csharp-csv-reader#28 and close2/csv#68 (Excel writes a %s first line, which it obeys): the line names the delimiter, is not a row, and lines keep their numbers',
    async (hint, delimiter, city) => {
      const { sandbox, result, rejectsPath } = await pushCsv(
        csvLines(
          hint,
          ['Name', 'Mobile', 'City'].join(delimiter),
          ['Asha Test', '9000012301', city].join(delimiter),
          ['Ravi Sample', '12', 'Nagpur'].join(delimiter),
        ),
      );

      expectDelivered(sandbox, result, ROWS_REJECTED, [
        {
          customer_name: 'Asha Test',
          phone_number: '+919000012301',
          City: city,
        },
      ]);
      const rejects = (await readFile(rejectsPath, 'utf8')).split('\r\n');
      expect(rejects[0]).not.toMatch(/sep=/i);
      expect(rejects[1]!.startsWith(`4${delimiter}phone_invalid`)).toBe(true);
    },
  );

  test('close2/csv#68: --delimiter wins over a sep= line, which is still not a row', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines('sep=,', 'Name;Mobile;City', 'Asha Test;9000012301;Pune, MH'),
      ['--delimiter', ';'],
    );

    expect(result.exitCode).toBe(0);
    expect(sandbox.deliveredBodies()).toEqual([
      {
        customer_name: 'Asha Test',
        phone_number: '+919000012301',
        City: 'Pune, MH',
      },
    ]);
  });

  test('a sep= line that disagrees with the rows is obeyed, as Excel obeys it: the header read with it names no phone column, and nothing is sent', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines('sep=,', 'Name;Mobile;City', 'Asha Test;9000012301;Pune'),
    );

    expect(result.exitCode).toBe(2);
    expect(sandbox.deliveredBodies()).toEqual([]);
    expect(result.stderr).toMatch(/The header has: "Name;Mobile;City"/);
  });

  test.each([
    ['"sep=;"', /Line 1 is "sep=;", Excel's note of the delimiter/],
    ['sep=', /Line 1 is "sep=", Excel's note of the delimiter/],
    ['sep="', /Line 1, "sep=\"", names "\\"" as the delimiter/],
  ])(
    'a first line %s that cannot name a delimiter: nothing is sent and the message names the line',
    async (hint, message) => {
      const { sandbox, result } = await pushCsv(
        csvLines(hint, 'Name;Mobile;City', 'Asha Test;9000012301;Pune'),
      );

      expect(result.exitCode).toBe(2);
      expect(sandbox.deliveredBodies()).toEqual([]);
      expect(result.stderr).toMatch(message);
    },
  );

  test('alphagov/notifications-utils PR #1222 and confusedbuffalo/phone-report#80 (a dash copied from a web page failed validation imperceptibly): typographic dashes, thin spaces and a full-width plus are read as the number they write', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines(
        'Name,Mobile',
        'Asha Test,98765\u201143210',
        'Ravi Sample,90000\u201312302',
        'Meera Test,\uFF0B91\u200990000\u200912303',
      ),
    );

    expectDelivered(sandbox, result, 0, [
      { customer_name: 'Asha Test', phone_number: '+919876543210' },
      { customer_name: 'Ravi Sample', phone_number: '+919000012302' },
      { customer_name: 'Meera Test', phone_number: '+919000012303' },
    ]);
  });

  test('adaltas/node-csv-parse#36 (a space after a closing quote kept the quotes in the cell): the name arrives without quote marks and the phone is read, as Excel and Python read them', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines(
        'Customer Name,Mobile No.,City',
        '"Asha Test","9000012301" ,"Pune" ',
        '"Ravi Sample" ,"9000012302","Nagpur"',
      ),
    );

    expectDelivered(sandbox, result, 0, [
      {
        customer_name: 'Asha Test',
        phone_number: '+919000012301',
        City: 'Pune ',
      },
      {
        customer_name: 'Ravi Sample',
        phone_number: '+919000012302',
        City: 'Nagpur',
      },
    ]);
  });

  test('alphagov/notifications-utils#1169 (leading empty columns were stripped from the header only, so "phone number" moved): the phone under ",,,Mobile" is read from its own column', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines(
        ',,,Name,Mobile',
        ',,,Asha Test,9000012301',
        ',,,Ravi Sample,9000012302',
      ),
    );

    expectDelivered(sandbox, result, 0, [
      { customer_name: 'Asha Test', phone_number: '+919000012301' },
      { customer_name: 'Ravi Sample', phone_number: '+919000012302' },
    ]);
  });

  test('ben-strasser/fast-cpp-csv-parser#69 and dbro/csvquote#10 (line breaks inside quoted cells): the cell keeps its breaks and a later reject names its physical line', async () => {
    const { sandbox, result, rejectsPath } = await pushCsv(
      csvLines(
        'Name,Mobile,Remarks',
        'Asha Test,9000012301,"Call after 6 pm',
        'prefers Hindi',
        'site visit Sunday"',
        'Ravi Sample,12345,"two',
        'lines"',
        'Meera Demo,9000012303,plain',
      ),
    );

    expectDelivered(sandbox, result, ROWS_REJECTED, [
      {
        customer_name: 'Asha Test',
        phone_number: '+919000012301',
        Remarks: 'Call after 6 pm\r\nprefers Hindi\r\nsite visit Sunday',
      },
      {
        customer_name: 'Meera Demo',
        phone_number: '+919000012303',
        Remarks: 'plain',
      },
    ]);
    const rows = await readRejects(rejectsPath);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.slice(0, 2)).toEqual(['5', 'phone_invalid']);
    expect(rows[1]?.slice(3)).toEqual(['Ravi Sample', '12345', 'two\r\nlines']);
  });

  test.each([['utf-16le'], ['utf-16be']])(
    'qbicsoftware/data-manager-app#588 and wiki.scn.sap.com "Excel files - CSV format" (Excel\'s Unicode Text is UTF-16 with tabs): %s with its BOM arrives as written',
    async (encoding) => {
      const text =
        'Name\tMobile\tCity\r\n' +
        'Asha D\u2019Souza\t9000012301\tM\u00fcnchen\r\n' +
        'Ravi Sample\t9000012302\tNagpur\r\n';
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
      if (encoding === 'utf-16be') bytes.swap16();

      const { sandbox, result } = await pushCsv(bytes);

      expectDelivered(sandbox, result, 0, [
        {
          customer_name: 'Asha D\u2019Souza',
          phone_number: '+919000012301',
          City: 'M\u00fcnchen',
        },
        {
          customer_name: 'Ravi Sample',
          phone_number: '+919000012302',
          City: 'Nagpur',
        },
      ]);
      expect(JSON.stringify(sandbox.deliveredBodies())).not.toMatch(
        /[\uFEFF\uFFFD\u0000]/,
      );
    },
  );

  test('adaltas/node-csv-parse#37 and alberthaff/ngx-papaparse#83 (0700 and zip codes lost their leading zero): custom cells keep their zeros', async () => {
    const { sandbox, result } = await pushCsv(
      csvLines('Name,Mobile,Pincode,From', 'Asha Test,09000012301,011001,0700'),
    );

    expectDelivered(sandbox, result, 0, [
      {
        customer_name: 'Asha Test',
        phone_number: '+919000012301',
        Pincode: '011001',
        From: '0700',
      },
    ]);
  });
});

describe('found cases: listen', () => {
  test('bogkonstantin/android_income_sms_gateway_webhook#97 (a chunked body without Content-Length arrived empty): a chunked call log is read whole, answered 200 and captured byte-exact', async () => {
    const listener = await startListen();
    const body =
      '{"call_id":"c-2026-0100","duration":120,"direction":"inbound",' +
      '"caller_id_number":"+919000012501","call_to_number":"+919000099001"}';

    const answer = await sendRaw(listener.port, chunkedRequest(body));

    expect(statusOf(answer)).toBe(200);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({
      type: 'event',
      kind: 'call_log',
      valid: true,
      event: { call_id: 'c-2026-0100', duration: 120 },
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      bodyBytes: Buffer.byteLength(body),
      bodySha256: sha256(body),
    });
    expect(records[0]!.headers['content-length']).toBeUndefined();
    expect(records[0]!.headers['transfer-encoding']).toBe('chunked');
    expectCapturedOnce(records, [body]);
  });

  test('bogkonstantin/android_income_sms_gateway_webhook#97 control: a chunked body over --max-body gets 413 and is not captured as accepted', async () => {
    const listener = await startListen(['--max-body', '1kb']);
    const body = JSON.stringify({
      customer_name: 'Asha Test',
      phone_number: '+919000012301',
      transcript: 'x'.repeat(3000),
    });

    const answer = await sendRaw(listener.port, chunkedRequest(body));

    expect(statusOf(answer)).toBe(413);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({ status: 413 });
    expect(tail[0]!.reason).toMatch(/over --max-body \(1024 bytes\)/);
    expect(records.filter((record) => record.status === 200)).toHaveLength(0);
  });

  test('sebastienros/jint#2997 and ropensci/jsonvalidate#26 (a trailing comma was accepted as JSON): listen answers 400 and keeps the body, not as accepted', async () => {
    const listener = await startListen();

    const answer = await sendRaw(
      listener.port,
      rawRequest(CALL_LOG_WITH_TRAILING_COMMA),
    );

    expect(statusOf(answer)).toBe(400);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]).toMatchObject({ type: 'rejected', status: 400 });
    expect(tail[0]!.reason).toMatch(/not valid JSON/);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 400 });
    expect(Buffer.from(records[0]!.bodyBase64!, 'base64').toString()).toBe(
      CALL_LOG_WITH_TRAILING_COMMA,
    );
  });

  test('TracecatHQ/tracecat#1289 and HarperFast/harper#1438 (a gzip-encoded webhook body was refused as "not UTF-8", or read as garbage): listen answers 415 naming the Content-Encoding', async () => {
    const listener = await startListen();
    const body = gzipSync(
      '{"call_id":"c-2026-0100","duration":120,"direction":"inbound"}',
    );
    const head = [
      'POST /webhooks HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      'Content-Encoding: gzip',
      `X-Webhook-Secret: ${SECRET}`,
      `Content-Length: ${body.length}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');

    const answer = await sendRaw(
      listener.port,
      Buffer.concat([Buffer.from(head), body]),
    );

    expect(statusOf(answer)).toBe(415);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]!.reason).toMatch(/Content-Encoding "gzip" is not supported/);
    expect(records.filter((record) => record.status === 200)).toEqual([]);
  });

  test('jqlang/jq#1509 (a key written twice: JSON.parse keeps the last without a word): listen acknowledges the event, marks it invalid naming the key, and verify of the capture says the same', async () => {
    const listener = await startListen();

    const answer = await sendRaw(
      listener.port,
      rawRequest(CALL_LOG_WITH_DIRECTION_TWICE),
    );

    expect(statusOf(answer)).toBe(200);
    const { records, tail } = await stopAndRead(listener);
    expectCapturedOnce(records, [CALL_LOG_WITH_DIRECTION_TWICE]);
    expect(tail[0]).toMatchObject({ kind: 'call_log', valid: false });
    expect(tail[0]!.problems).toEqual([
      expect.stringMatching(/^direction: expected the key once .* it 2 times/),
    ]);
    const verified = await runCli({
      args: ['verify', listener.capturePath, '--reporter', 'json'],
    });
    expect(verified.exitCode).toBe(INVALID);
    const report = JSON.parse(verified.stdout.split('\n')[0]!) as {
      problems: Array<{ path: string }>;
    };
    expect(report.problems.map((problem) => problem.path)).toEqual([
      'direction',
    ]);
  });

  test('jqlang/jq#1509 with --strict: the event with a key written twice gets 400', async () => {
    const listener = await startListen(['--strict']);

    const answer = await sendRaw(
      listener.port,
      rawRequest(CALL_LOG_WITH_DIRECTION_TWICE),
    );

    expect(statusOf(answer)).toBe(400);
    expect(answer).toMatch(/direction: expected the key once/);
    await listener.stop();
  });

  test('golang/go#30710 and synopse/mORMot#335 (a gzip transfer coding under chunked was read as the body): listen answers 415 naming the Transfer-Encoding', async () => {
    const listener = await startListen();
    const body = gzipSync(
      '{"call_id":"c-2026-0100","duration":120,"direction":"inbound"}',
    );
    const head = [
      'POST /webhooks HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      'Transfer-Encoding: gzip, chunked',
      `X-Webhook-Secret: ${SECRET}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    const chunked = Buffer.concat([
      Buffer.from(`${head}${body.length.toString(16)}\r\n`),
      body,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);

    const answer = await sendRaw(listener.port, chunked);

    expect(statusOf(answer)).toBe(415);
    const { records, tail } = await stopAndRead(listener);
    expect(tail[0]!.reason).toMatch(
      /Transfer-Encoding "gzip, chunked" is not supported/,
    );
    expect(records.filter((record) => record.status === 200)).toEqual([]);
  });

  test('MaterializeInc/materialize PR #20563 (a secret header sent twice): 401 saying so, not "wrong value", even when both copies are right', async () => {
    const listener = await startListen();
    const body =
      '{"call_id":"c-2026-0100","duration":120,"direction":"inbound"}';
    const request = [
      'POST /webhooks HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      `X-Webhook-Secret: ${SECRET}`,
      `x-webhook-secret: ${SECRET}`,
      `Content-Length: ${body.length}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n');

    const answer = await sendRaw(listener.port, request);

    expect(statusOf(answer)).toBe(401);
    const { tail } = await stopAndRead(listener);
    expect(tail[0]!.reason).toBe('X-Webhook-Secret sent 2 times; send it once');
  });

  test('douglascrockford/JSON-js#134 and rhysd/fixjson#19 (ids past 2^53 silently lost digits): a custom id keeps its digits in the capture and the tail', async () => {
    const listener = await startListen();
    const body =
      '{"customer_name":"Asha Test","phone_number":"+919000012301",' +
      '"crm_id":9196877626998785}';

    const answer = await sendRaw(listener.port, rawRequest(body));

    expect(statusOf(answer)).toBe(200);
    const { records, result } = await stopAndRead(listener);
    expectCapturedOnce(records, [body]);
    expect(result.stdout).toContain('"crm_id":9196877626998785');
    expect(result.stdout).not.toContain('9196877626998784');
  });
});

describe('found cases: verify', () => {
  async function verifyText(name: string, text: string) {
    const directory = await makeDirectory();
    const file = path.join(directory, name);
    await writeFile(file, text);
    const result = await runCli({
      args: ['verify', file, '--reporter', 'json'],
    });
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            line?: number;
            problems?: Array<{ path: string; expected: string; found: string }>;
            valid?: number;
            invalid?: number;
          },
      );
    return { result, lines };
  }

  test('ropensci/jsonvalidate#26 and JamesNK/Newtonsoft.Json#818 (validators let a trailing comma through): a pretty-printed payload with one is invalid, at its line', async () => {
    const { result, lines } = await verifyText(
      'payload.json',
      [
        '{',
        '  "call_id": "c-2026-0100",',
        '  "duration": 95,',
        '  "direction": "inbound",',
        '  "caller_id_number": "+919000012501",',
        '  "call_to_number": "+919000099001",',
        '}',
        '',
      ].join('\n'),
    );

    expect(result.exitCode).toBe(INVALID);
    expect(lines[0]).toMatchObject({ type: 'record', line: 7 });
    expect(lines[0]!.problems).toHaveLength(1);
    expect(lines[0]!.problems![0]!.found).toMatch(/not JSON.*line 7/);
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      valid: 0,
      invalid: 1,
    });
  });

  test('ropensci/jsonvalidate#26: in NDJSON only the line with the trailing comma is invalid', async () => {
    const { result, lines } = await verifyText(
      'events.ndjson',
      `${CALL_LOG_WITH_TRAILING_COMMA}\n` +
        '{"call_id":"c-2026-0101","duration":5,"direction":"inbound",' +
        '"caller_id_number":"+919000012501","call_to_number":"+919000099001"}\n',
    );

    expect(result.exitCode).toBe(INVALID);
    expect(lines[0]).toMatchObject({ type: 'record', line: 1 });
    expect(lines[0]!.problems![0]!.found).toMatch(/not JSON/);
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      valid: 1,
      invalid: 1,
    });
  });

  test('jqlang/jq#1509: in NDJSON the line with a key written twice is invalid at that key, the others valid', async () => {
    const { result, lines } = await verifyText(
      'events.ndjson',
      '{"call_id":"c-2026-0101","duration":5,"direction":"inbound",' +
        '"caller_id_number":"+919000012501","call_to_number":"+919000099001"}\n' +
        `${CALL_LOG_WITH_DIRECTION_TWICE}\n`,
    );

    expect(result.exitCode).toBe(INVALID);
    expect(lines[0]).toMatchObject({ type: 'record', line: 2 });
    expect(lines[0]!.problems).toEqual([
      {
        path: 'direction',
        expected: 'the key once in its object',
        found:
          'it 2 times; JSON readers differ on which value counts (the last one was checked)',
      },
    ]);
    expect(lines.at(-1)).toMatchObject({ valid: 1, invalid: 1 });
  });

  test('jqlang/jq#1509: in a JSON array only the element with a key written twice is invalid, with its index', async () => {
    const { result, lines } = await verifyText(
      'events.json',
      `[\n${JSON.stringify(CALL_LOG)},\n${CALL_LOG_WITH_DIRECTION_TWICE}\n]\n`,
    );

    expect(result.exitCode).toBe(INVALID);
    expect(lines[0]).toMatchObject({ type: 'record', line: 3, index: 1 });
    expect(lines[0]!.problems!.map((problem) => problem.path)).toEqual([
      'direction',
    ]);
    expect(lines.at(-1)).toMatchObject({ valid: 1, invalid: 1 });
  });

  test('nodejs/help#1637 and brettlangdon/node-dogapi#16 (JSON.parse rounds ids past 2^53 without a word): a numeric call_id is invalid and the report says digits were lost', async () => {
    const { result, lines } = await verifyText(
      'events.ndjson',
      '{"call_id":9196877626998785,"duration":5,"direction":"inbound",' +
        '"caller_id_number":"+919000012501","call_to_number":"+919000099001"}\n',
    );

    expect(result.exitCode).toBe(INVALID);
    expect(lines[0]).toMatchObject({ type: 'record', line: 1 });
    expect(lines[0]!.problems).toHaveLength(1);
    expect(lines[0]!.problems![0]!.path).toBe('call_id');
    expect(lines[0]!.problems![0]!.found).toMatch(/lose digits/);
  });
});
