import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import {
  findRepeatedKeys,
  MAX_REPEATED_KEYS,
  repeatedKeyProblem,
} from '../../src/contract/find-repeated-key.js';

describe('findRepeatedKeys', () => {
  test('finds none in the fixtures, whose keys are each written once', async () => {
    for (const name of ['call-log', 'lead-created', 'tag-update']) {
      const text = await readFile(`fixtures/events/${name}.json`, 'utf8');
      expect(findRepeatedKeys(text)).toEqual([]);
    }
  });

  test.each([
    ['{"direction":"incoming","a":1,"direction":"inbound"}', 'direction', 2],
    ['{"a":1,"b":{"c":1},"a":3,"a":4}', 'a', 3],
    ['{"a":{"b":[1,{"c":1,"c":2}]}}', 'a.b[1].c', 2],
    ['{"a":[{"x":1},{"b":{"y":1,"y":2}}]}', 'a[1].b.y', 2],
    ['[{"a":1},{"a":2,"a":3}]', '[1].a', 2],
    ['{"a":{}, "b":[], "a":1}', 'a', 2],
    ['{ "a" : 1 ,\n  "a" : 2 }', 'a', 2],
    ['{"odd key":1,"odd key":2}', '["odd key"]', 2],
  ])('%s repeats %s', (text, path, count) => {
    expect(findRepeatedKeys(text)).toEqual([{ path, count }]);
  });

  test('reads keys as JSON.parse does: an escape and its character are one key', () => {
    expect(findRepeatedKeys('{"a\\u0062":1,"ab":2}')).toEqual([
      { path: 'ab', count: 2 },
    ]);
    expect(findRepeatedKeys('{"a\\"b":1,"a\\"b":2}')).toEqual([
      { path: '["a\\"b"]', count: 2 },
    ]);
  });

  test('an escaped quote inside a value does not end the string', () => {
    expect(findRepeatedKeys('{"x":"a\\",\\"x\\":\\"b","y":1}')).toEqual([]);
    expect(findRepeatedKeys('{"u":"https:\\/\\/x","k":1,"k":2}')).toEqual([
      { path: 'k', count: 2 },
    ]);
  });

  test('every repeated key is reported, inner objects first', () => {
    expect(
      findRepeatedKeys('{"a":1,"a":2,"b":1,"c":{"d":1,"d":2},"b":2,"b":3}'),
    ).toEqual([
      { path: 'c.d', count: 2 },
      { path: 'a', count: 2 },
      { path: 'b', count: 3 },
    ]);
  });

  test.each([
    ['without escapes', ''],
    ['with an escape elsewhere', '"u":"a\\/b",'],
  ])(
    'an object of 100,000 keys %s is scanned whole, its repeat found at the end',
    (_name, escape) => {
      const keys = Array.from({ length: 100_000 }, (_, i) => `"x${i}":${i}`);
      const text = `{${escape}${keys.join(',')},"x5":0}`;

      expect(findRepeatedKeys(text)).toEqual([{ path: 'x5', count: 2 }]);
    },
  );

  test('a repeat 20,000 levels deep keeps the end of its path', () => {
    const depth = 20_000;
    const text = `${'{"a":['.repeat(depth)}{"x":1,"x":2}${']}'.repeat(depth)}`;

    const [repeat] = findRepeatedKeys(text);

    expect(repeat!.path).toMatch(/^….*\.a\[0\]\.x$/);
    expect(repeat!.path.length).toBe(200);
  });

  test('a cut path keeps whole characters', () => {
    const emoji = '\u{1F600}'.repeat(150);
    const text = `{"${emoji}":{"${emoji}":{"y":1,"y":2}}}`;

    const [repeat] = findRepeatedKeys(text);

    expect(repeat!.path.startsWith('…')).toBe(true);
    expect(repeat!.path).not.toMatch(/^…[\uDC00-\uDFFF]/);
    expect(repeat!.path.endsWith('.y')).toBe(true);
  });

  test('50,000 repeats 2,000 levels deep: the first 100 are reported', () => {
    const keys = Array.from(
      { length: 50_000 },
      (_, i) => `"k${i}":1,"k${i}":2`,
    );
    const depth = 2_000;
    const text = `${'{"a":'.repeat(depth)}{${keys.join(',')}}${'}'.repeat(depth)}`;

    const found = findRepeatedKeys(text);

    expect(found).toHaveLength(MAX_REPEATED_KEYS);
    expect(found[0]!.path).toMatch(/\.k0$/);
    expect(found[99]!.path).toMatch(/\.k99$/);
  });

  test(`at most ${MAX_REPEATED_KEYS} are reported`, () => {
    const objects = Array.from({ length: 150 }, () => '{"k":1,"k":2}');

    expect(findRepeatedKeys(`[${objects.join(',')}]`)).toHaveLength(
      MAX_REPEATED_KEYS,
    );
  });

  test.each([
    '{"a":{"a":1},"b":{"a":1}}',
    '[{"a":1},{"a":2}]',
    '{"a":"a","b":"a"}',
    '{"ab":1,"a":2,"b":3}',
    '{}',
    '[]',
    '"text"',
    '7',
  ])('%s repeats no key', (text) => {
    expect(findRepeatedKeys(text)).toEqual([]);
  });

  test('the problem names the key and why it matters', () => {
    expect(repeatedKeyProblem({ path: 'direction', count: 2 })).toEqual({
      path: 'direction',
      expected: 'the key once in its object',
      found:
        'it 2 times; JSON readers differ on which value counts (the last one was checked)',
    });
  });
});
