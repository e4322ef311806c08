import { describe, expect, test } from 'vitest';

import { ReplayTally } from '../../../src/commands/replay/replay-tally.js';
import { EXIT_CODES } from '../../../src/errors.js';

const answered = (status: number) =>
  ({
    outcome: status < 400 ? 'ok' : 'appError',
    status,
    latencyMs: 3,
    bodyStart: '',
  }) as const;

function tallyOf(...statuses: Array<number | 'failed'>): ReplayTally {
  const tally = new ReplayTally();
  for (const status of statuses) {
    tally.counts.selected += 1;
    tally.addSent(
      status === 'failed'
        ? { outcome: 'failed', reason: 'connection refused', latencyMs: 1 }
        : answered(status),
    );
  }
  return tally;
}

describe('ReplayTally', () => {
  test('every event answered 2xx exits 0', () => {
    const summary = tallyOf(200, 202, 204).summarise('done', false);

    expect(summary).toMatchObject({
      type: 'summary',
      exitCode: EXIT_CODES.ok,
      selected: 3,
      sent: 3,
      accepted: 3,
      notAccepted: 0,
      failed: 0,
      notSent: 0,
    });
  });

  test.each([
    ['a redirect', [200, 301]],
    ['a client error', [400]],
    ['a server error', [200, 503]],
    ['no answer', ['failed' as const]],
  ])('%s exits 1', (_case, statuses) => {
    expect(tallyOf(...statuses).summarise('done', false).exitCode).toBe(
      EXIT_CODES.eventsNotAccepted,
    );
  });

  test('counts answers that are not 2xx apart from no answer at all', () => {
    const summary = tallyOf(200, 301, 500, 'failed').summarise('done', false);

    expect(summary).toMatchObject({
      sent: 4,
      accepted: 1,
      notAccepted: 2,
      failed: 1,
    });
  });

  test('a line changed after capture fails the run though every event sent was accepted', () => {
    const tally = tallyOf(200);
    tally.counts.tampered += 1;

    expect(tally.summarise('done', false).exitCode).toBe(
      EXIT_CODES.eventsNotAccepted,
    );
  });

  test('a line not written whole, filtered-out and refused events do not fail the run', () => {
    const tally = tallyOf(200);
    tally.counts.unreadable += 1;
    tally.counts.filteredOut += 4;
    tally.counts.refused += 2;

    expect(tally.summarise('done', false).exitCode).toBe(EXIT_CODES.ok);
  });

  test('an event picked but changed by the second reading leaves the picked ones and counts as tampered', () => {
    const tally = new ReplayTally();
    tally.counts.selected = 3;
    tally.unpick();

    expect(tally.summarise('done', true)).toMatchObject({
      selected: 2,
      tampered: 1,
      exitCode: EXIT_CODES.eventsNotAccepted,
    });
  });

  test('an interrupted run exits 130 and counts what it did not send; a dry run sends nothing and misses nothing', () => {
    const tally = tallyOf(200);
    tally.counts.selected += 4;

    expect(tally.summarise('interrupted', false)).toMatchObject({
      outcome: 'interrupted',
      exitCode: EXIT_CODES.interrupted,
      notSent: 4,
    });
    const dryRun = new ReplayTally();
    dryRun.counts.selected = 5;
    expect(dryRun.summarise('done', true)).toMatchObject({
      dryRun: true,
      notSent: 0,
      exitCode: 0,
    });
  });
});
