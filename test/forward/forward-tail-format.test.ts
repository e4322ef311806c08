import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';

import { formatForwardLine } from '../../src/forward/forward-tail-format.js';
import { toBodyStart } from '../../src/forward/forward-outcome.js';
import { acceptedRecord } from '../helpers/request-records.js';

const PLAIN = new Chalk({ level: 0 });

const RECORD = acceptedRecord({
  call_id: 'c-2026-0100',
  duration: 120,
  direction: 'inbound',
  caller_id_number: '+919000012501',
  call_to_number: '+919000099001',
});

describe('formatForwardLine', () => {
  test('an answered forward shows the status, latency and the start of the answer', () => {
    const line = formatForwardLine(
      RECORD,
      { outcome: 'ok', status: 200, latencyMs: 12, bodyStart: '{"ok":true}' },
      PLAIN,
    );

    expect(line).toMatchInlineSnapshot(
      `"05:00:01 -> 200 call_log     c-2026-0100  12 ms  {"ok":true}"`,
    );
  });

  test('a failed forward says why and after how long', () => {
    const line = formatForwardLine(
      RECORD,
      { outcome: 'failed', reason: 'connection refused', latencyMs: 3 },
      PLAIN,
    );

    expect(line).toMatchInlineSnapshot(
      `"05:00:01 -> --- call_log     c-2026-0100  forward failed after 3 ms: connection refused"`,
    );
  });

  test('an event left out of forwarding is said in capitals', () => {
    const line = formatForwardLine(
      RECORD,
      { outcome: 'overQueueBound', reason: 'the forward queue is full' },
      PLAIN,
    );

    expect(line).toMatchInlineSnapshot(
      `"05:00:01 -> --- call_log     c-2026-0100  NOT FORWARDED: the forward queue is full"`,
    );
  });
});

describe('toBodyStart', () => {
  test('folds whitespace and replaces control characters, so an answer cannot redraw the terminal', () => {
    expect(toBodyStart('  <h1>Oops</h1>\r\n\t\u001b[2J done ')).toBe(
      '<h1>Oops</h1> \uFFFD[2J done',
    );
  });
});
