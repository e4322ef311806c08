import { describe, expect, test } from 'vitest';

import { JunitReporter } from '../../../src/verify/reporters/junit-reporter.js';
import {
  escapeXmlAttribute,
  escapeXmlText,
  replaceForbiddenXmlCharacters,
} from '../../../src/verify/reporters/xml-text.js';
import {
  allValidSummary,
  createBuffer,
  DIRECTION_PROBLEM,
  invalid,
  playMixedRun,
  skipped,
  valid,
} from './reporter-fixture.js';

/**
 * A small well-formedness check, enough for the subset of XML the reporter
 * writes: one declaration, then tags that nest and close in order, quoted
 * attributes without duplicates, only the five entities and numeric
 * references, and no character XML 1.0 forbids.
 */
function assertWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  expect(xml).not.toMatch(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/,
  );
  expect(xml.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
  const body = xml.slice(xml.indexOf('\n') + 1);
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>/g;
  let rest = body;
  for (const match of body.matchAll(tag)) {
    const [whole, closing, name, attributes, selfClosing] = match;
    rest = rest.replace(whole, '');
    if (closing) {
      expect(open.pop()).toBe(name);
      continue;
    }
    const names = [...attributes!.matchAll(/([a-z]+)=/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
    if (!selfClosing) open.push(name!);
  }
  expect(open).toEqual([]);
  // Outside tags only text is left, and text holds no markup.
  expect(rest).not.toMatch(/[<>]/);
}

function attributesOf(xml: string, element: string): Record<string, string>[] {
  const pattern = new RegExp(
    `<${element}(?=[\\s/>])((?:\\s+[a-z]+="[^"]*")*)`,
    'g',
  );
  return [...xml.matchAll(pattern)].map((match) =>
    Object.fromEntries(
      [...match[1]!.matchAll(/([a-z]+)="([^"]*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    ),
  );
}

describe('JunitReporter', () => {
  test('a mixed run gives a suite per file with failures, skips, errors and one passing case for the valid records', () => {
    const buffer = createBuffer();

    playMixedRun(new JunitReporter(buffer.write));

    expect(buffer.text()).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="astradial verify" tests="8" failures="4" errors="1">
        <testsuite name="events.ndjson" tests="3" failures="1" errors="0" skipped="1">
          <testcase classname="events.ndjson" name="line 2: call log">
            <failure message="direction: expected inbound or outbound, found &quot;incoming&quot; (and 1 more)" type="invalid">direction: expected inbound or outbound, found &quot;incoming&quot;
      call_flow[0].dialst: expected a string, found nothing (missing)</failure>
          </testcase>
          <testcase classname="events.ndjson" name="line 3">
            <skipped message="no body captured (answered 401)"/>
          </testcase>
          <testcase classname="events.ndjson" name="1 valid record"/>
        </testsuite>
        <testsuite name="batch.json" tests="3" failures="2" errors="0" skipped="0">
          <testcase classname="batch.json" name="line 14 [3]: matches no kind (nearest: lead push)">
            <failure message="phone_number: expected E.164 phone number, found &quot;98&quot;" type="invalid">phone_number: expected E.164 phone number, found &quot;98&quot;</failure>
          </testcase>
          <testcase classname="batch.json" name="line 20 [4]: not an event">
            <failure message="(record): expected a JSON object, found an array" type="invalid">(record): expected a JSON object, found an array</failure>
          </testcase>
          <testcase classname="batch.json" name="1 valid record"/>
        </testsuite>
        <testsuite name="missing.json" tests="1" failures="0" errors="1" skipped="0">
          <testcase classname="missing.json" name="read missing.json">
            <error message="no such file (ENOENT)" type="notChecked"/>
          </testcase>
        </testsuite>
        <testsuite name="&lt;stdin&gt;" tests="1" failures="1" errors="0" skipped="0">
          <testcase classname="&lt;stdin&gt;" name="line 2: lead created">
            <failure message="user_number: expected E.164 phone number, found nothing (missing)" type="invalid">user_number: expected E.164 phone number, found nothing (missing)</failure>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
    assertWellFormed(buffer.text());
  });

  test('the counts in the tags add up', () => {
    const buffer = createBuffer();

    playMixedRun(new JunitReporter(buffer.write));

    const xml = buffer.text();
    const [root] = attributesOf(xml, 'testsuites');
    const suites = attributesOf(xml, 'testsuite');
    expect(root).toEqual({
      name: 'astradial verify',
      tests: '8',
      failures: '4',
      errors: '1',
    });
    expect(suites.map((suite) => suite.name)).toEqual([
      'events.ndjson',
      'batch.json',
      'missing.json',
      '&lt;stdin&gt;',
    ]);
    for (const field of ['tests', 'failures', 'errors'] as const) {
      const sum = suites.reduce(
        (total, suite) => total + Number(suite[field]),
        0,
      );
      expect(sum).toBe(Number(root![field]));
    }
    expect(xml.match(/<testcase /g)).toHaveLength(8);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<\/testsuite>/g)).toHaveLength(4);
  });

  test('a file with only valid records still gets a suite, with one passing case', () => {
    const buffer = createBuffer();
    const reporter = new JunitReporter(buffer.write);

    for (let line = 1; line <= 100_000; line += 1) {
      reporter.record(valid('big.ndjson', line));
    }
    reporter.record(valid('one.ndjson', 1));
    reporter.finish(allValidSummary(100_001, 2));

    expect(buffer.text()).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="astradial verify" tests="2" failures="0" errors="0">
        <testsuite name="big.ndjson" tests="1" failures="0" errors="0" skipped="0">
          <testcase classname="big.ndjson" name="100000 valid records"/>
        </testsuite>
        <testsuite name="one.ndjson" tests="1" failures="0" errors="0" skipped="0">
          <testcase classname="one.ndjson" name="1 valid record"/>
        </testsuite>
      </testsuites>
      "
    `);
  });

  test('no input gives an empty but well-formed report', () => {
    const buffer = createBuffer();

    new JunitReporter(buffer.write).finish(allValidSummary(0, 0));

    expect(buffer.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="astradial verify" tests="0" failures="0" errors="0">\n</testsuites>\n',
    );
  });

  test('a file that fails after some records keeps them in the same suite', () => {
    const buffer = createBuffer();
    const reporter = new JunitReporter(buffer.write);

    reporter.record(valid('cut.ndjson', 1));
    reporter.record(invalid('cut.ndjson', 2, [DIRECTION_PROBLEM]));
    reporter.fileFailed('cut.ndjson', 'read failed partway');
    reporter.finish(allValidSummary(1, 1));

    const suites = attributesOf(buffer.text(), 'testsuite');
    expect(suites).toEqual([
      {
        name: 'cut.ndjson',
        tests: '3',
        failures: '1',
        errors: '1',
        skipped: '0',
      },
    ]);
  });

  test('markup, quotes, line breaks and forbidden characters from names and problems come out escaped', () => {
    const buffer = createBuffer();
    const reporter = new JunitReporter(buffer.write);
    const file = `a,b:c%d&e<f>"g'.json`;

    reporter.record(
      invalid(file, 3, [
        {
          path: 'call_id',
          expected: 'a <string> & "more"',
          found: `"it's\r\nbad\u0000\u001f\ud800\uffff"`,
        },
        DIRECTION_PROBLEM,
      ]),
    );
    reporter.record(skipped(file, 4, 'no body\tcaptured <401>'));
    reporter.fileFailed('x]]>y.json', 'bad & worse\u0007');
    reporter.finish(allValidSummary(0, 2));

    const xml = buffer.text();
    expect(xml).toMatchInlineSnapshot(`
      "<?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="astradial verify" tests="3" failures="1" errors="1">
        <testsuite name="a,b:c%d&amp;e&lt;f&gt;&quot;g&apos;.json" tests="2" failures="1" errors="0" skipped="1">
          <testcase classname="a,b:c%d&amp;e&lt;f&gt;&quot;g&apos;.json" name="line 3: call log">
            <failure message="call_id: expected a &lt;string&gt; &amp; &quot;more&quot;, found &quot;it&apos;s&#13;&#10;bad\\u0000\\u001f\\ud800\\uffff&quot; (and 1 more)" type="invalid">call_id: expected a &lt;string&gt; &amp; &quot;more&quot;, found &quot;it&apos;s&#13;
      bad\\u0000\\u001f\\ud800\\uffff&quot;
      direction: expected inbound or outbound, found &quot;incoming&quot;</failure>
          </testcase>
          <testcase classname="a,b:c%d&amp;e&lt;f&gt;&quot;g&apos;.json" name="line 4">
            <skipped message="no body&#9;captured &lt;401&gt;"/>
          </testcase>
        </testsuite>
        <testsuite name="x]]&gt;y.json" tests="1" failures="0" errors="1" skipped="0">
          <testcase classname="x]]&gt;y.json" name="read x]]&gt;y.json">
            <error message="bad &amp; worse\\u0007" type="notChecked"/>
          </testcase>
        </testsuite>
      </testsuites>
      "
    `);
    assertWellFormed(xml);
    expect(xml).toContain(
      'classname="a,b:c%d&amp;e&lt;f&gt;&quot;g&apos;.json"',
    );
    expect(xml).toContain('\\u0000\\u001f\\ud800\\uffff');
  });

  test('a surrogate pair is kept; only a lone surrogate is replaced', () => {
    expect(replaceForbiddenXmlCharacters('a\ud83d\ude00b')).toBe(
      'a\ud83d\ude00b',
    );
    expect(replaceForbiddenXmlCharacters('\ude00\ud83d')).toBe(
      '\\ude00\\ud83d',
    );
    expect(replaceForbiddenXmlCharacters('tab\tlf\ncr\r')).toBe(
      'tab\tlf\ncr\r',
    );
  });

  test('attributes keep tabs and line breaks as references; text keeps them raw except the carriage return', () => {
    expect(escapeXmlAttribute(`<&>"'\t\n\r`)).toBe(
      '&lt;&amp;&gt;&quot;&apos;&#9;&#10;&#13;',
    );
    expect(escapeXmlText(`<&>"'\t\n\r`)).toBe(
      '&lt;&amp;&gt;&quot;&apos;\t\n&#13;',
    );
  });

  test.each([
    ['a tag closed out of order', '<a><b></a></b>'],
    ['a tag left open', '<a><b/>'],
    ['a bare ampersand', '<a>x & y</a>'],
    ['a raw angle bracket in text', '<a>x < y</a>'],
    ['a repeated attribute', '<a name="x" name="y"/>'],
    ['a forbidden character', '<a>\u0001</a>'],
  ])('the well-formedness check itself rejects %s', (_case, body) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;

    expect(() => assertWellFormed(xml)).toThrow();
  });
});
