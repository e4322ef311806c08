import { readFileSync } from 'node:fs';

import { describe, expect, test } from 'vitest';

import { checkEvent } from '../../src/contract/check-event.js';
import type { EventKind } from '../../src/contract/schemas.js';

function readExample(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/events/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

const EXAMPLES: Record<EventKind, Record<string, unknown>> = {
  call_log: readExample('call-log'),
  lead_created: readExample('lead-created'),
  tag_update: readExample('tag-update'),
  lead_push: readExample('lead-push'),
};

const LOOSE = { isStrict: false };

/** The example of `kind` with one field set to `value` (undefined removes it). */
function changed(kind: EventKind, path: string, value: unknown) {
  const record = structuredClone(EXAMPLES[kind]);
  const keys = path.split('.');
  let target: Record<string, unknown> = record;
  for (const key of keys.slice(0, -1)) {
    target = target[key] as Record<string, unknown>;
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return record;
}

describe('checkEvent', () => {
  test.each(Object.keys(EXAMPLES) as EventKind[])(
    'the %s example is valid and recognised as such',
    (kind) => {
      expect(checkEvent(EXAMPLES[kind], LOOSE)).toEqual({
        kind,
        matchesNoKind: false,
        problems: [],
      });
    },
  );

  // One field changed at a time: exactly one problem, at that field, saying
  // what was expected and what was found.
  test.each([
    [
      'call_log',
      'call_id',
      undefined,
      'text that is not empty or only spaces',
      'nothing (the field is missing)',
    ],
    ['call_log', 'call_id', '', 'text that is not empty or only spaces', '""'],
    [
      'call_log',
      'call_id',
      42,
      'text that is not empty or only spaces',
      'number 42',
    ],
    [
      'call_log',
      'duration',
      '95',
      'integer of 0 or more (seconds)',
      'string "95"',
    ],
    [
      'call_log',
      'duration',
      1.5,
      'integer of 0 or more (seconds)',
      'number 1.5',
    ],
    ['call_log', 'duration', -1, 'integer of 0 or more (seconds)', '-1'],
    ['call_log', 'duration', null, 'integer of 0 or more (seconds)', 'null'],
    [
      'call_log',
      'duration',
      undefined,
      'integer of 0 or more (seconds)',
      'nothing (the field is missing)',
    ],
    [
      'call_log',
      'recording_url',
      'recordings/abc.mp3',
      'an http or https URL',
      '"recordings/abc.mp3"',
    ],
    [
      'call_log',
      'recording_url',
      'ftp://example.com/a.mp3',
      'an http or https URL',
      '"ftp://example.com/a.mp3"',
    ],
    ['call_log', 'direction', 'incoming', 'inbound or outbound', '"incoming"'],
    ['call_log', 'direction', 'Inbound', 'inbound or outbound', '"Inbound"'],
    [
      'call_log',
      'direction',
      undefined,
      'inbound or outbound',
      'nothing (the field is missing)',
    ],
    [
      'call_log',
      'caller_id_number',
      '09000012601',
      'E.164 phone number: "+", country code and number, e.g. +919876543210',
      '"09000012601"',
    ],
    [
      'call_log',
      'call_to_number',
      '+91 90000 99001',
      'E.164 phone number: "+", country code and number, e.g. +919876543210',
      '"+91 90000 99001"',
    ],
    ['call_log', 'bot_type', 7, 'text', 'number 7'],
    [
      'call_log',
      'answered_agent',
      '+919000088001',
      'an object with the agent\'s "number"',
      'string "+919000088001"',
    ],
    [
      'call_log',
      'answered_agent.number',
      '9000088001',
      'E.164 phone number: "+", country code and number, e.g. +919876543210',
      '"9000088001"',
    ],
    [
      'call_log',
      'call_flow',
      { type: 'x', dialst: 'y' },
      'an array of call flow steps',
      'object {"type":"x","dialst":"y"}',
    ],
    [
      'lead_created',
      'customer_id',
      undefined,
      'text that is not empty or only spaces',
      'nothing (the field is missing)',
    ],
    [
      'lead_created',
      'user_number',
      '9876543210',
      'E.164 phone number: "+", country code and number, e.g. +919876543210',
      '"9876543210"',
    ],
    [
      'lead_created',
      'direction',
      'outbound-dial',
      'inbound or outbound',
      '"outbound-dial"',
    ],
    [
      'lead_created',
      'source',
      undefined,
      'text',
      'nothing (the field is missing)',
    ],
    [
      'tag_update',
      'tag',
      'interested',
      'an array of text tags',
      'string "interested"',
    ],
    [
      'tag_update',
      'call_id',
      undefined,
      'text that is not empty or only spaces',
      'nothing (the field is missing)',
    ],
    [
      'lead_push',
      'customer_name',
      '',
      'text that is not empty or only spaces',
      '""',
    ],
    [
      'lead_push',
      'customer_name',
      '  ',
      'text that is not empty or only spaces',
      '"  "',
    ],
    [
      'lead_push',
      'phone_number',
      '98765 43210',
      'E.164 phone number: "+", country code and number, e.g. +919876543210',
      '"98765 43210"',
    ],
    [
      'lead_push',
      'event_date',
      '2026-03-15 10:30:00',
      'ISO 8601 date and time with an offset, e.g. 2026-03-15T10:30:00+05:30',
      '"2026-03-15 10:30:00"',
    ],
    [
      'lead_push',
      'register_date',
      '2026-03-10T09:00:00',
      'ISO 8601 date and time with an offset, e.g. 2026-03-15T10:30:00+05:30',
      '"2026-03-10T09:00:00"',
    ],
    [
      'lead_push',
      'event_date',
      '2026-02-30T10:30:00+05:30',
      'ISO 8601 date and time with an offset, e.g. 2026-03-15T10:30:00+05:30',
      '"2026-02-30T10:30:00+05:30"',
    ],
  ] as const)(
    '%s with %s = %j: expected %s, found %s',
    (kind, path, value, expected, found) => {
      const check = checkEvent(changed(kind, path, value), LOOSE);

      expect(check.kind).toBe(kind);
      expect(check.problems).toEqual([{ path, expected, found }]);
    },
  );

  test('problems inside arrays name the element', () => {
    const callLog = changed('call_log', 'call_flow', [
      { type: 'voice-streaming', dialst: 'Answered' },
      { type: 'agent' },
    ]);
    const tags = changed('tag_update', 'tag', ['ok', 3]);

    expect(checkEvent(callLog, LOOSE).problems).toEqual([
      {
        path: 'call_flow[1].dialst',
        expected: 'text',
        found: 'nothing (the field is missing)',
      },
    ]);
    expect(checkEvent(tags, LOOSE).problems).toEqual([
      { path: 'tag[1]', expected: 'text', found: 'number 3' },
    ]);
  });

  test('optional fields may be left out; dates take Z, fractions and any offset', () => {
    for (const field of [
      'recording_url',
      'caller_id_number',
      'call_to_number',
      'bot_type',
      'answered_agent',
      'call_flow',
    ]) {
      expect(
        checkEvent(changed('call_log', field, undefined), LOOSE).problems,
      ).toEqual([]);
    }
    for (const date of [
      '2026-03-15T05:00:00Z',
      '2026-03-15T10:30:00.250+05:30',
      '2026-03-10T09:00:00-04:00',
      '2028-02-29T00:00:00+05:30',
    ]) {
      expect(
        checkEvent(changed('lead_push', 'event_date', date), LOOSE).problems,
      ).toEqual([]);
    }
  });

  test('custom fields pass on a lead push, and other fields on events, unless strict', () => {
    const lead = { ...EXAMPLES.lead_push, lead_source: 'walk-in' };
    const callLog = changed('call_log', 'answered_agent', {
      number: '+919000088001',
      name: 'Ravi',
    });

    expect(checkEvent(lead, LOOSE).problems).toEqual([]);
    expect(checkEvent(callLog, LOOSE).problems).toEqual([]);
    expect(checkEvent(lead, { isStrict: true }).problems).toEqual([
      {
        path: 'city',
        expected:
          'no such field (--strict allows only the fields the contract names)',
        found: '"Pune"',
      },
      {
        path: 'lead_source',
        expected:
          'no such field (--strict allows only the fields the contract names)',
        found: '"walk-in"',
      },
    ]);
    expect(checkEvent(callLog, { isStrict: true }).problems).toEqual([
      {
        path: 'answered_agent.name',
        expected:
          'no such field (--strict allows only the fields the contract names)',
        found: '"Ravi"',
      },
    ]);
  });

  test.each([
    [[1, 2], 'array [1,2]'],
    ['call', 'string "call"'],
    [null, 'null'],
    [42, 'number 42'],
  ])('%j is not a JSON object and has no kind', (value, found) => {
    expect(checkEvent(value, LOOSE)).toEqual({
      matchesNoKind: false,
      problems: [{ path: '', expected: 'a JSON object (one event)', found }],
    });
  });

  test('a record with no field of any kind matches none, with the nearest kind', () => {
    const check = checkEvent({ name: 'Asha', mobile: '+919000012503' }, LOOSE);

    expect(check.matchesNoKind).toBe(true);
    expect(check.kind).toBe('lead_push');
    expect(check.problems.map((problem) => problem.path)).toEqual([
      'customer_name',
      'phone_number',
    ]);
  });

  test('the kind naming most of the fields wins, whatever the others are called', () => {
    const leadWithTagField = { ...EXAMPLES.lead_push, tag: 'vip' };
    const brokenCallLog = {
      ...EXAMPLES.call_log,
      customer_name: 'x',
      direction: 'incoming',
    };

    expect(checkEvent(leadWithTagField, LOOSE)).toMatchObject({
      kind: 'lead_push',
      problems: [],
    });
    expect(checkEvent(brokenCallLog, LOOSE).kind).toBe('call_log');
  });

  test('a tie goes to the kind the record breaks least', () => {
    // call_id and customer_id name a tag update and a lead created event alike.
    const check = checkEvent({ call_id: 'c-1', customer_id: 'acme' }, LOOSE);

    expect(check.kind).toBe('tag_update');
    expect(check.problems).toHaveLength(1);
  });

  test('--type checks as the kind given, whatever the fields say', () => {
    const check = checkEvent(EXAMPLES.tag_update, {
      kind: 'lead_created',
      isStrict: false,
    });

    expect(check.kind).toBe('lead_created');
    expect(check.problems.map((problem) => problem.path)).toEqual([
      'user_number',
      'direction',
      'source',
    ]);
  });

  test('a long value is shown cut, and says how long it was', () => {
    const check = checkEvent(
      changed('call_log', 'direction', 'x'.repeat(500)),
      LOOSE,
    );

    expect(check.problems[0]!.found).toBe(
      `"${'x'.repeat(79)}… (500 characters)`,
    );
  });
});

describe('a record with very many problems', () => {
  test('lists the first hundred and counts the rest', () => {
    const tags = Array.from({ length: 5_000 }, (_, index) => index);
    const check = checkEvent(
      { customer_id: 'acme', call_id: 'c-1', tag: tags },
      { isStrict: false },
    );

    expect(check.problems).toHaveLength(101);
    expect(check.problems[99]).toEqual({
      path: 'tag[99]',
      expected: 'text',
      found: 'number 99',
    });
    expect(check.problems[100]!.found).toBe(
      '4,900 more problems in this record, not listed',
    );
  });
});

describe('found values that JSON.stringify cannot show as they are', () => {
  test('a value nested ten thousand deep is shown cut, without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const check = checkEvent(
      { customer_id: 'acme', call_id: 'c-1', tag: deep },
      { isStrict: false },
    );

    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]!.found).toMatch(/^array \[\[\[.*…$/);
  });

  test('a million-element value is previewed, not serialised whole', () => {
    const check = checkEvent(
      {
        customer_id: 'acme',
        call_id: 'c-1',
        tag: 'x',
        extra: new Array(1_000_000).fill(7),
      },
      { isStrict: true },
    );

    expect(
      check.problems.find((problem) => problem.path === 'extra')!.found,
    ).toBe(`[${Array(40).fill(7).join(',')}…`);
  });

  test.each([
    // owlike/genson#119: a wrong message for 42e+600.
    [
      '1e400',
      'a number too large in size for most JSON readers (like 1e400 or -1e400), read as Infinity',
    ],
    [
      '-1e400',
      'a number too large in size for most JSON readers (like 1e400 or -1e400), read as -Infinity',
    ],
    [
      '99999999999999999999999',
      '1e+23 (as read: whole numbers beyond 9007199254740991 lose digits)',
    ],
  ])('duration %s says the number was not read as written', (text, found) => {
    const event = JSON.parse(
      `{"call_id":"c-1","direction":"inbound","duration":${text}}`,
    );

    expect(checkEvent(event, { isStrict: false }).problems[0]!.found).toBe(
      found,
    );
  });
});

describe('an array too long to check at once', () => {
  test('every element is still checked; the failures past the first 10,000 are counted', () => {
    const tags = Array.from({ length: 30_000 }, (_, index) =>
      index % 2 === 0 ? `tag-${index}` : index,
    );
    const check = checkEvent(
      { customer_id: 'acme', call_id: 'c-1', tag: tags },
      { isStrict: false },
    );

    expect(check.problems.at(-1)).toEqual({
      path: 'tag[10000…29999]',
      expected: 'every element as the contract asks (see the problems above)',
      found: '10,000 more elements that break it, not listed one by one',
    });
    expect(check.problems.at(-2)!.found).toBe(
      '4,900 more problems in this record, not listed',
    );
  });

  test('a bad element past the first 10,000 makes the record invalid', () => {
    const tags: unknown[] = Array.from({ length: 20_000 }, () => 'ok');
    tags[15_000] = 15;
    const check = checkEvent(
      { customer_id: 'acme', call_id: 'c-1', tag: tags },
      { isStrict: false },
    );

    expect(check.problems).toEqual([
      expect.objectContaining({ path: 'tag[10000…19999]' }),
    ]);
  });
});
