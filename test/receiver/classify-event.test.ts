import { describe, expect, test } from 'vitest';

import { classifyEvent } from '../../src/receiver/classify-event.js';

describe('classifyEvent', () => {
  test.each([
    [{ call_id: 'c-1', duration: 5, direction: 'outbound' }, 'call_log'],
    [
      {
        customer_id: 'acme',
        user_number: '+919000012501',
        call_id: 'c-1',
        direction: 'inbound',
        source: 'web',
      },
      'lead_created',
    ],
    [{ customer_id: 'acme', call_id: 'c-1', tag: ['hot'] }, 'tag_update'],
    [{ customer_name: 'Asha', phone_number: '+919000012501' }, 'lead_push'],
  ])('%j is a valid %s', (body, kind) => {
    expect(classifyEvent(body)).toEqual({ kind, isValid: true, problems: [] });
  });

  test('an event of a known kind that fails its schema names each problem by path', () => {
    const result = classifyEvent({
      call_id: 'c-1',
      duration: '95',
      direction: 'incoming',
    });

    expect(result.kind).toBe('call_log');
    expect(result.isValid).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(/^duration: /),
      expect.stringMatching(/^direction: /),
    ]);
  });

  test.each([[{ hello: 'world' }], [[1, 2]], ['text'], [null]])(
    '%j is unknown and not valid',
    (body) => {
      expect(classifyEvent(body)).toMatchObject({
        kind: 'unknown',
        isValid: false,
      });
    },
  );
});
