import { readFile } from 'node:fs/promises';

import { describe, expect, test } from 'vitest';

import {
  findRepeatedKey,
  repeatedKeyProblem,
} from '../../src/contract/find-repeated-key.js';

describe('findRepeatedKey', () => {
  test('finds none in the fixtures, whose keys are each written once', async () => {
    for (const name of ['call-log', 'lead-created', 'tag-update']) {
      const text = await readFile(`fixtures/events/${name}.json`, 'utf8');
      expect(findRepeatedKey(text)).toBeUndefined();
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
    expect(findRepeatedKey(text)).toEqual({ path, count });
  });

  test('reads keys as JSON.parse does: an escape and its character are one key', () => {
    expect(findRepeatedKey('{"a\\u0062":1,"ab":2}')).toEqual({
      path: 'ab',
      count: 2,
    });
    expect(findRepeatedKey('{"a\\"b":1,"a\\"b":2}')).toEqual({
      path: '["a\\"b"]',
      count: 2,
    });
  });

  test('an escaped quote inside a value does not end the string', () => {
    expect(findRepeatedKey('{"x":"a\\",\\"x\\":\\"b","y":1}')).toBeUndefined();
    expect(findRepeatedKey('{"u":"https:\\/\\/x","k":1,"k":2}')).toMatchObject({
      path: 'k',
    });
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
    expect(findRepeatedKey(text)).toBeUndefined();
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
