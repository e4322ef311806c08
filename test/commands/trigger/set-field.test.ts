import { describe, expect, test } from 'vitest';

import {
  parseFieldSetting,
  setField,
} from '../../../src/commands/trigger/set-field.js';
import { AstradialError, EXIT_CODES } from '../../../src/errors.js';

/** A call log shaped like trigger's samples, fresh for each test. */
function callLog(): Record<string, unknown> {
  return {
    call_id: 'c-20260315-0a1b2c3d',
    duration: 120,
    direction: 'inbound',
    answered_agent: { number: '+919000009001' },
    call_flow: [{ type: 'voice-streaming', dialst: 'Answered' }],
  };
}

function applied(...settings: string[]): Record<string, unknown> {
  const event = callLog();
  for (const text of settings) setField(event, parseFieldSetting(text));
  return event;
}

function failure(event: unknown, text: string): AstradialError {
  try {
    setField(event, parseFieldSetting(text));
  } catch (error) {
    return error as AstradialError;
  }
  throw new Error(`--set ${text} was expected to fail`);
}

describe('--set values', () => {
  test.each([
    ['duration=0', 'duration', 0],
    ['duration=95.5', 'duration', 95.5],
    ['bot_type=true', 'bot_type', true],
    ['recording_url=null', 'recording_url', null],
    ['tag=["a","b"]', 'tag', ['a', 'b']],
    ['direction=outbound', 'direction', 'outbound'],
    ['call_id="123"', 'call_id', '123'],
    ['call_id=123', 'call_id', 123],
    ['note=a=b', 'note', 'a=b'],
    ['note=', 'note', ''],
    ['note= two words ', 'note', ' two words '],
  ])('%s sets %s to %j', (text, field, expected) => {
    expect(applied(text)[field]).toEqual(expected);
  });

  test('a number with a plus sign is not JSON, so it is sent as text', () => {
    const event = applied('answered_agent.number=+919800000001');
    expect(event.answered_agent).toEqual({ number: '+919800000001' });
  });

  test('a JSON object replaces the field whole', () => {
    const event = applied('answered_agent={"number":"+919800000002"}');
    expect(event.answered_agent).toEqual({ number: '+919800000002' });
  });
});

describe('--set paths', () => {
  test('list items by [n] and by .n alike', () => {
    expect(applied('call_flow[0].dialst=Busy').call_flow).toEqual([
      { type: 'voice-streaming', dialst: 'Busy' },
    ]);
    expect(applied('call_flow.0.type=ivr').call_flow).toEqual([
      { type: 'ivr', dialst: 'Answered' },
    ]);
  });

  test('the index just past the end adds an item', () => {
    const event = applied('call_flow[1]={"type":"agent","dialst":"Busy"}');
    expect(event.call_flow).toEqual([
      { type: 'voice-streaming', dialst: 'Answered' },
      { type: 'agent', dialst: 'Busy' },
    ]);
  });

  test('missing fields are created, with objects and lists on the way, after the existing ones', () => {
    const event = applied(
      'custom.crm.lead_id=L-42',
      'custom.steps[0]=first',
      'duration=7',
    );
    expect(JSON.stringify(event)).toBe(
      '{"call_id":"c-20260315-0a1b2c3d","duration":7,"direction":"inbound","answered_agent":{"number":"+919000009001"},"call_flow":[{"type":"voice-streaming","dialst":"Answered"}],"custom":{"crm":{"lead_id":"L-42"},"steps":["first"]}}',
    );
  });

  test('a field named __proto__ becomes a field and changes no prototype', () => {
    const event = applied('__proto__.polluted=yes');
    expect(JSON.stringify(event)).toContain('"__proto__":{"polluted":"yes"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });
});

describe('--set mistakes are usage errors naming the flag', () => {
  test.each([
    ['duration', /--set duration: has no "="/],
    ['=1', /--set =1: "" is not a field path/],
    ['a..b=1', /--set a\.\.b=1: "a\.\.b" is not a field path/],
    ['call_flow[x]=1', /"call_flow\[x\]" is not a field path/],
    [
      'call_id.x=1',
      /--set call_id\.x=1: call_id is text, not an object, so it holds no field "x"/,
    ],
    ['duration.seconds=1', /duration is a number, not an object/],
    [
      'call_flow.type=ivr',
      /call_flow is a list, so it has no field "type"\. Name one of its items by number, e\.g\. call_flow\[0\]/,
    ],
    [
      'answered_agent[0]=x',
      /answered_agent is an object, not a list, so it has no item \[0\]/,
    ],
    [
      'call_flow[5].dialst=Busy',
      /call_flow has 1 item, so \[5\] is past its end\. Give an index up to 1/,
    ],
  ])('%s', (text, message) => {
    const error = failure(callLog(), text);
    expect(error).toBeInstanceOf(AstradialError);
    expect(error.code).toBe('trigger.invalidSet');
    expect(error.exitCode).toBe(EXIT_CODES.usage);
    expect(error.message).toMatch(message);
  });

  test('a path through null names the field that is null', () => {
    const event = { ...callLog(), answered_agent: null };
    expect(failure(event, 'answered_agent.number=+919800000001').message).toBe(
      '--set answered_agent.number=+919800000001: answered_agent is null, not an object, so it holds no field "number". Set answered_agent itself, or choose another path.',
    );
  });

  test('a --data body that is not an object has no fields to set', () => {
    expect(failure([1, 2], 'duration=0').message).toMatch(
      /the event is a list, so it has no field "duration"/,
    );
    expect(failure('text', 'duration=0').message).toMatch(
      /the event is text, not an object.*give --data a file holding one/,
    );
  });
});
