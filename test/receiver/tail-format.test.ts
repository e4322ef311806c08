import { Chalk } from 'chalk';
import { describe, expect, test } from 'vitest';

import { classifyEvent } from '../../src/receiver/classify-event.js';
import type { RequestRecord } from '../../src/receiver/request-record.js';
import { formatTailLine } from '../../src/receiver/tail-format.js';

const PLAIN = new Chalk({ level: 0 });

function eventRecord(parsed: Record<string, unknown>): RequestRecord {
  const body = Buffer.from(JSON.stringify(parsed));
  return {
    receivedAt: '2026-03-15T05:00:01.000Z',
    remoteAddress: '127.0.0.1',
    method: 'POST',
    path: '/',
    headers: { 'x-webhook-secret': '********' },
    status: 200,
    body,
    parsed,
    event: classifyEvent(parsed),
  };
}

describe('formatTailLine', () => {
  test('a call log shows its id, direction, numbers and duration', () => {
    const record = eventRecord({
      call_id: 'c-1',
      duration: 95,
      direction: 'inbound',
      caller_id_number: '+919000012501',
      call_to_number: '+919000099001',
    });

    expect(formatTailLine(record, PLAIN, false)).toMatchInlineSnapshot(
      `"05:00:01 200 call_log     c-1  inbound  +919000012501 -> +919000099001  95s"`,
    );
  });

  test('control characters from the request are escaped, so a payload cannot redraw the terminal or forge a line', () => {
    const record = eventRecord({
      call_id: '\u001b[2J\u001b[31mEVIL\r\n05:00:00 200 call_log fake',
      duration: 1,
      direction: 'inbound',
    });

    const verbose = formatTailLine(record, PLAIN, true);

    expect(verbose).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(verbose.split('\n')[0]).toContain(
      '\\u001b[2J\\u001b[31mEVIL\\u000d\\u000a05:00:00',
    );
    expect(verbose.split('\n')).toHaveLength(4);
  });

  test('a tag update shows its tags; an invalid event says why', () => {
    const record = eventRecord({ customer_id: 'a', call_id: 'c-2', tag: [1] });

    expect(formatTailLine(record, PLAIN, false)).toMatchInlineSnapshot(
      `"05:00:01 200 tag_update   c-2  tags 1 invalid: tag[0]: expected text, found number 1"`,
    );
  });

  test('a rejected request shows its status and reason', () => {
    const record: RequestRecord = {
      ...eventRecord({}),
      status: 401,
      reason: 'wrong value in X-Webhook-Secret',
      event: undefined,
      parsed: undefined,
    };

    expect(formatTailLine(record, PLAIN, false)).toMatchInlineSnapshot(
      `"05:00:01 401 rejected     wrong value in X-Webhook-Secret (from 127.0.0.1)"`,
    );
  });

  test('--verbose adds the request line, the masked headers and the body', () => {
    const record = eventRecord({
      customer_name: 'Asha',
      phone_number: '+919000012501',
    });

    expect(formatTailLine(record, PLAIN, true)).toMatchInlineSnapshot(`
      "05:00:01 200 lead_push    Asha  +919000012501
        POST /
        x-webhook-secret: ********
        {"customer_name":"Asha","phone_number":"+919000012501"}"
    `);
  });
});
