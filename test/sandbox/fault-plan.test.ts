import { describe, expect, test } from 'vitest';

import type {
  SandboxReply,
  SandboxRequest,
} from '../../src/sandbox/ingest-sandbox.js';
import {
  countStoredBy,
  createFaultPlan,
  type FaultName,
  type FaultPlanOptions,
} from '../helpers/fault-plan.js';
import { useSandboxFixture } from './sandbox-fixture.js';

const { useSandbox, post } = useSandboxFixture();

function fakeRequest(index: number): SandboxRequest {
  return {
    index,
    receivedAt: Date.now(),
    method: 'POST',
    path: '/acme_test',
    headers: {},
    body: Buffer.from('{}'),
    remoteAddress: '127.0.0.1',
    remotePort: 40000,
  };
}

/** The plan's first `count` replies, as the sandbox would ask for them. */
async function drawReplies(
  options: FaultPlanOptions,
  count: number,
): Promise<(SandboxReply | undefined)[]> {
  const respond = createFaultPlan(options);
  const replies: (SandboxReply | undefined)[] = [];
  for (let index = 0; index < count; index += 1) {
    replies.push(await respond(fakeRequest(index)));
  }
  return replies;
}

/** Tells which fault of the plan a reply is, or 'none' for a normal answer. */
function nameFault(reply: SandboxReply | undefined): FaultName | 'none' {
  if (reply === undefined) return 'none';
  if ('hang' in reply) return 'hangAfterStore';
  if ('destroy' in reply) {
    return reply.store ? 'resetAfterStore' : 'resetBeforeStore';
  }
  if (reply.status === 429) return 'rateLimited';
  return reply.status === 200 ? 'badSuccessBody' : 'serverError';
}

const MIXED: FaultPlanOptions['faults'] = {
  serverError: 0.1,
  resetBeforeStore: 0.05,
  resetAfterStore: 0.05,
  hangAfterStore: 0.05,
  rateLimited: 0.1,
  badSuccessBody: 0.05,
};

describe('fault plan', () => {
  test('the same seed gives the same faults and another seed other ones', async () => {
    const first = await drawReplies({ seed: 42, faults: MIXED }, 200);
    const again = await drawReplies({ seed: 42, faults: MIXED }, 200);
    const other = await drawReplies({ seed: 43, faults: MIXED }, 200);

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  test('without faults every request gets the normal answer', async () => {
    const replies = await drawReplies({ seed: 1, faults: {} }, 100);
    expect(replies.every((reply) => reply === undefined)).toBe(true);
  });

  test('each fault comes up as often as its rate says, within a point', async () => {
    const draws = 20_000;
    const replies = await drawReplies({ seed: 7, faults: MIXED }, draws);
    const counts = new Map<string, number>();
    for (const reply of replies) {
      const name = nameFault(reply);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }

    const rates: [string, number][] = [...Object.entries(MIXED), ['none', 0.6]];
    for (const [name, rate] of rates) {
      const share = (counts.get(name) ?? 0) / draws;
      expect(Math.abs(share - rate!), name).toBeLessThan(0.01);
    }
  });

  test.each<[FaultName, SandboxReply, boolean]>([
    ['serverError', { status: 503 }, false],
    ['resetBeforeStore', { destroy: true }, false],
    ['resetAfterStore', { destroy: true }, true],
    ['hangAfterStore', { hang: true }, true],
    ['rateLimited', { status: 429, headers: { 'retry-after': '1' } }, false],
    ['badSuccessBody', { status: 200 }, true],
  ])(
    '%s at rate 1 gives that reply every time',
    async (name, expected, isStored) => {
      const replies = await drawReplies({ seed: 3, faults: { [name]: 1 } }, 5);

      for (const reply of replies) {
        expect(reply).toMatchObject(expected);
        expect(reply?.store === true).toBe(isStored);
      }
    },
  );

  test('a 5xx and a 429 carry JSON error bodies; the bad success body is not JSON', async () => {
    const [serverError] = await drawReplies(
      { seed: 1, faults: { serverError: 1 } },
      1,
    );
    const [rateLimited] = await drawReplies(
      { seed: 1, faults: { rateLimited: 1 } },
      1,
    );
    const [badSuccess] = await drawReplies(
      { seed: 1, faults: { badSuccessBody: 1 } },
      1,
    );

    for (const reply of [serverError, rateLimited]) {
      const body = reply && 'body' in reply ? reply.body : undefined;
      expect(JSON.parse(body ?? '')).toMatchObject({ status: 'error' });
    }
    const page = badSuccess && 'body' in badSuccess ? badSuccess.body : '';
    expect(() => JSON.parse(page ?? '')).toThrow();
    expect(page).toMatch(/^<html>/);
  });

  test.each([
    ['rates adding up to more than 1', { serverError: 0.6, rateLimited: 0.5 }],
    ['a negative rate', { serverError: -0.1 }],
    ['a rate that is not a number', { serverError: Number.NaN }],
  ])('%s is refused', (_name, faults) => {
    expect(() => createFaultPlan({ seed: 1, faults })).toThrow(RangeError);
  });
});

describe('fault plan against the sandbox', () => {
  test('leads reset after being stored are stored again when resent, and countStoredBy shows it', async () => {
    const plan: FaultPlanOptions = {
      seed: 2024,
      faults: { resetAfterStore: 0.3, resetBeforeStore: 0.1, serverError: 0.1 },
    };
    const sandbox = await useSandbox({
      rateLimit: 0,
      respond: createFaultPlan(plan),
    });
    // A second plan from the same seed replays the sandbox's faults in step,
    // one draw per request sent, so the test knows which attempts stored.
    const replay = createFaultPlan(plan);

    const expected = new Map<string, number>();
    let sent = 0;
    for (let row = 0; row < 30; row += 1) {
      const phone = `+9190000${String(row).padStart(5, '0')}`;
      const body = JSON.stringify({
        customer_name: `Row ${row}`,
        phone_number: phone,
      });
      // A normal 200 ends the row and stores it once more.
      let stored = 1;
      for (;;) {
        const answer = await post(sandbox, { body }).catch(() => undefined);
        const fault = await replay(fakeRequest(sent));
        sent += 1;
        if (fault?.store) stored += 1;
        if (answer?.status === 200) break;
      }
      expected.set(phone, stored);
    }

    const counts = countStoredBy(
      sandbox,
      (body) => (body as { phone_number: string }).phone_number,
    );
    expect(sandbox.requestCount()).toBe(sent);
    expect(counts).toEqual(expected);
    expect([...counts.values()].some((count) => count > 1)).toBe(true);
    expect(sandbox.storedCount()).toBe(sandbox.storedBodies().length);
  });
});
