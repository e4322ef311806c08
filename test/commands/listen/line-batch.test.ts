import { expect, test } from 'vitest';

import { LineBatch } from '../../../src/commands/listen/line-batch.js';

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

test('lines added in one turn are written together, in order, when it ends', async () => {
  const writes: string[] = [];
  const batch = new LineBatch((text) => writes.push(text));

  batch.add('first');
  batch.add('second');
  expect(writes).toEqual([]);
  await nextTurn();
  batch.add('third');
  await nextTurn();

  expect(writes).toEqual(['first\nsecond', 'third']);
});

test('flush writes what waits at once, and the end of the turn writes nothing more', async () => {
  const writes: string[] = [];
  const batch = new LineBatch((text) => writes.push(text));

  batch.flush();
  batch.add('only');
  batch.flush();
  await nextTurn();

  expect(writes).toEqual(['only']);
});
