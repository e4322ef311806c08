import { describe, expect, test } from 'vitest';

import {
  toCaptureEntry,
  type CapturedEvent,
} from '../../../src/commands/replay/capture-entry.js';
import {
  describeFilter,
  matchesFilter,
  parseEventFilter,
} from '../../../src/commands/replay/event-filter.js';
import { expectUsageError } from '../../helpers/expect-usage-error.js';
import { captureLine, SAMPLES } from './capture-lines.js';

const NOW = Date.parse('2026-03-07T12:00:00.000Z');

function eventOf(
  body: unknown,
  receivedAt = new Date(NOW),
  changes: Record<string, unknown> = {},
): CapturedEvent {
  const line = JSON.parse(captureLine({ body, receivedAt })) as object;
  const value = { ...line, ...changes };
  const entry = toCaptureEntry(
    { type: 'value', location: { file: 'capture.ndjson', line: 1 }, value },
    false,
  );
  if (entry.type !== 'event') throw new Error(`not an event: ${entry.type}`);
  return entry;
}

const noFilter = { callId: [] };

describe('parseEventFilter', () => {
  test('no flags let every event in', () => {
    const filter = parseEventFilter(noFilter, NOW);

    expect(filter).toEqual({});
    expect(matchesFilter(eventOf(SAMPLES.callLog('c-1')), filter)).toBe(true);
    expect(describeFilter(filter)).toBe('');
  });

  test('kinds are read like verify reads them, and unknown is one', () => {
    const filter = parseEventFilter(
      { ...noFilter, type: ' Call-Log , unknown' },
      NOW,
    );

    expect(filter.kinds).toEqual(new Set(['call_log', 'unknown']));
  });

  test.each([
    [
      { type: 'call_logs' },
      'replay.invalidType',
      /call_logs.*Use a comma-separated list of: call_log, lead_created/,
    ],
    [{ type: ' , ' }, 'replay.invalidType', /names no kind/],
    [{ callId: ['c-1', ''] }, 'replay.emptyCallId', /empty value/],
    [
      { since: '1h', until: '2h' },
      'replay.emptyTimeWindow',
      /--since 1h \(2026-03-07T11:00:00.000Z\) is not before --until 2h \(2026-03-07T10:00:00.000Z\)/,
    ],
    [
      { since: '2026-03-07T10:00:00Z', until: '2026-03-07T10:00:00Z' },
      'replay.emptyTimeWindow',
      /is not before/,
    ],
  ])('%j is refused', async (flags, code, message) => {
    await expectUsageError(
      Promise.resolve().then(() =>
        parseEventFilter({ ...noFilter, ...flags }, NOW),
      ),
      code,
      message,
    );
  });
});

describe('matchesFilter', () => {
  const at = (hoursAgo: number) => new Date(NOW - hoursAgo * 3_600_000);

  test('--since takes events at or after it, --until those strictly before it', () => {
    const filter = parseEventFilter(
      { ...noFilter, since: '3h', until: '1h' },
      NOW,
    );

    expect(matchesFilter(eventOf(SAMPLES.callLog('a'), at(3)), filter)).toBe(
      true,
    );
    expect(matchesFilter(eventOf(SAMPLES.callLog('b'), at(3.01)), filter)).toBe(
      false,
    );
    expect(matchesFilter(eventOf(SAMPLES.callLog('c'), at(1.01)), filter)).toBe(
      true,
    );
    expect(matchesFilter(eventOf(SAMPLES.callLog('d'), at(1)), filter)).toBe(
      false,
    );
  });

  test('--call-id matches the call_id field only, a number as its digits', () => {
    const filter = parseEventFilter(
      { ...noFilter, callId: ['c-1', '42'] },
      NOW,
    );

    expect(matchesFilter(eventOf(SAMPLES.tagUpdate('c-1')), filter)).toBe(true);
    expect(
      matchesFilter(eventOf({ ...SAMPLES.callLog('x'), call_id: 42 }), filter),
    ).toBe(true);
    expect(matchesFilter(eventOf(SAMPLES.callLog('c-2')), filter)).toBe(false);
    expect(
      matchesFilter(eventOf({ customer_id: 'c-1', tag: ['a'] }), filter),
    ).toBe(false);
  });

  test('--type tells the kind from the body, not from the kind listen wrote beside it', () => {
    const filter = parseEventFilter({ ...noFilter, type: 'tag_update' }, NOW);
    const event = eventOf(SAMPLES.tagUpdate('c-1'));
    const relabelled = eventOf(SAMPLES.callLog('c-2'), new Date(NOW), {
      kind: 'tag_update',
    });

    expect(matchesFilter(event, filter)).toBe(true);
    expect(matchesFilter(relabelled, filter)).toBe(false);
    expect(
      matchesFilter(
        eventOf({ anything: 1 }),
        parseEventFilter({ ...noFilter, type: 'unknown' }, NOW),
      ),
    ).toBe(true);
  });

  test('every filter given must match', () => {
    const filter = parseEventFilter(
      { ...noFilter, type: 'call_log', callId: ['c-1'], since: '1h' },
      NOW,
    );

    expect(
      matchesFilter(eventOf(SAMPLES.callLog('c-1'), at(0.5)), filter),
    ).toBe(true);
    expect(matchesFilter(eventOf(SAMPLES.callLog('c-1'), at(2)), filter)).toBe(
      false,
    );
    expect(
      matchesFilter(eventOf(SAMPLES.tagUpdate('c-1'), at(0.5)), filter),
    ).toBe(false);
    expect(describeFilter(filter)).toBe(
      'of kind call_log, with call_id c-1, received at or after 2026-03-07T11:00:00.000Z',
    );
  });
});
