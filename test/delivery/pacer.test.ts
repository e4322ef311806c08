import { describe, expect, test } from 'vitest';

import { Pacer } from '../../src/delivery/pacer.js';
import { SendWindow } from '../../src/delivery/send-window.js';

/** From the end of a pause to the end of its 2 s ramp. */
const RAMP_END_MS = 2000;

/** Most sends in any half-open window (t - 1000, t]. */
function maxInAnySecond(sends: number[]): number {
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sends.length; last += 1) {
    while (sends[first]! <= sends[last]! - 1000) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/**
 * Drives a pacer the way the queue does, with timers that fire up to 1 ms
 * early (libuv's cached clock) or up to `lateMs` late.
 */
function simulate(
  pacer: Pacer,
  untilMs: number,
  lateMs: number,
  random: () => number,
): number[] {
  const sends: number[] = [];
  let now = 0;
  while (now < untilMs) {
    const waitMs = pacer.waitTime(now);
    if (waitMs > 0) {
      now += Math.max(0.1, Math.ceil(waitMs) - random() + random() * lateMs);
      continue;
    }
    pacer.recordSend(now);
    pacer.recordWritten(now);
    sends.push(now);
  }
  return sends;
}

/** A small deterministic random source, so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('Pacer', () => {
  test.each([20, 55, 60, 1000])(
    'at rate %d with jittery timers no second holds more than the rate',
    (rate) => {
      const sends = simulate(new Pacer(rate), 10_000, 8, seededRandom(rate));

      expect(maxInAnySecond(sends)).toBeLessThanOrEqual(rate);
      expect(sends.length / 10).toBeGreaterThan(rate * 0.97);
    },
  );

  test('a late timer is caught up, keeping the average rate', () => {
    const pacer = new Pacer(10);
    expect(pacer.waitTime(0)).toBe(0);
    pacer.recordSend(0);
    pacer.recordWritten(0);
    // The slot at 100 ms is taken 15 ms late; the next stays at 200 ms.
    expect(pacer.waitTime(115)).toBe(0);
    pacer.recordSend(115);
    pacer.recordWritten(115);
    expect(pacer.waitTime(115)).toBe(85);
  });

  test('after a stall the schedule re-anchors instead of bursting', () => {
    const pacer = new Pacer(10);
    pacer.waitTime(0);
    pacer.recordSend(0);
    pacer.recordWritten(0);
    pacer.markStalled();

    expect(pacer.waitTime(5000)).toBe(0);
    pacer.recordSend(5000);
    pacer.recordWritten(5000);
    expect(pacer.waitTime(5000)).toBe(100);
  });

  test('a lag beyond 20 ms counts as a stall even without markStalled', () => {
    const pacer = new Pacer(100);
    pacer.waitTime(0);
    pacer.recordSend(0);
    pacer.recordWritten(0);

    expect(pacer.waitTime(500)).toBe(0);
    pacer.recordSend(500);
    pacer.recordWritten(500);
    expect(pacer.waitTime(500)).toBe(10);
  });

  test('a stall never brings the next slot forward', () => {
    const pacer = new Pacer(1);
    pacer.waitTime(0);
    pacer.recordSend(0);
    pacer.recordWritten(0);
    pacer.markStalled();

    // 990 ms by the schedule, plus the window guard's 10 ms margin.
    expect(pacer.waitTime(10)).toBe(1000);
  });

  test('a pause holds everything, then the rate comes back at 90 % of what was written, and climbs slowly', () => {
    const pacer = new Pacer(10);
    pacer.waitTime(0);
    pacer.recordSend(0);
    pacer.recordWritten(0);
    expect(pacer.pause(50, 3000)).toBe(true);
    expect(pacer.pause(60, 1000)).toBe(false);

    expect(pacer.isPaused(3049)).toBe(true);
    expect(pacer.waitTime(1000)).toBe(2050);
    const sends = simulate(pacer, 5_000, 0, () => 0).filter(
      (time) => time >= 3050,
    );
    expect(sends[0]).toBe(3050);
    // The ceiling is 90 % of 10/s; sending resumes at 80 % of that.
    expect(sends[1]! - sends[0]!).toBeCloseTo(1000 / 7.2, 0);
    expect(pacer.rateAt(3050)).toBeCloseTo(7.2);
    expect(pacer.rateAt(4050)).toBeCloseTo(8.1);
    expect(pacer.rateAt(5050)).toBeCloseTo(9);
    // Then up by 0.35 % of 10/s each second, back to 10/s after ~29 s.
    expect(pacer.rateAt(15_050)).toBeCloseTo(9.35);
    expect(pacer.rateAt(35_050)).toBe(10);
  });

  test('the new ceiling follows what the server let through, not what was asked', () => {
    const pacer = new Pacer(57);
    pacer.pause(0, 1000, { writtenLastSecond: 31 });

    expect(pacer.rateAt(1000 + RAMP_END_MS)).toBeCloseTo(27.9);
    // 0.2/s more each second: past 30/s again only after about 10 s.
    expect(pacer.rateAt(1000 + RAMP_END_MS + 10_000)).toBeCloseTo(29.9, 1);
  });

  test('a pause for an outage holds sending but keeps the rate', () => {
    const pacer = new Pacer(20);
    pacer.pause(0, 500, { lowersRate: false, writtenLastSecond: 2 });

    expect(pacer.isPaused(499)).toBe(true);
    expect(pacer.rateAt(500 + RAMP_END_MS)).toBeCloseTo(20);
  });

  test('pauseRemaining counts down to the end of the pause, then stays 0', () => {
    const pacer = new Pacer(10);
    expect(pacer.pauseRemaining(0)).toBe(0);
    pacer.pause(50, 3000);

    expect(pacer.pauseRemaining(1000)).toBe(2050);
    expect(pacer.pauseRemaining(3050)).toBe(0);
    expect(pacer.pauseRemaining(9000)).toBe(0);
  });

  test('each new 429 lowers the ceiling again, down to 10 % of the rate', () => {
    const pacer = new Pacer(100);
    let now = 0;
    for (let episode = 0; episode < 40; episode += 1) {
      pacer.pause(now, 1000);
      now += 1000 + RAMP_END_MS;
    }
    expect(pacer.rateAt(now)).toBeCloseTo(10);
  });

  test('a 429 for a request sent before the last pause ended lowers nothing', () => {
    const pacer = new Pacer(10);
    pacer.pause(0, 1000);
    pacer.pause(1100, 1000, { sentAt: 900 });

    expect(pacer.rateAt(2100 + RAMP_END_MS)).toBeCloseTo(9);
  });

  test('rates below one per second still send', () => {
    const sends = simulate(new Pacer(0.5), 10_000, 2, seededRandom(1));
    expect(sends).toHaveLength(5);
    expect(sends[1]! - sends[0]!).toBeGreaterThanOrEqual(2000);
  });
});

describe('SendWindow', () => {
  function sendAt(window: SendWindow, time: number): void {
    window.recordStart();
    window.recordWritten(time);
  }

  test('the limit+1st request waits until the first leaves the window', () => {
    const window = new SendWindow(3);
    for (const time of [0, 10, 20]) {
      expect(window.nextAllowedAt(time)).toBe(time);
      sendAt(window, time);
    }

    // One second plus the 10 ms margin after the first.
    expect(window.nextAllowedAt(30)).toBe(1010);
    sendAt(window, 1010);
    expect(window.nextAllowedAt(1010)).toBe(1020);
  });

  test('a request written late counts from its write, not its start', () => {
    const window = new SendWindow(2);
    // Both start early but wait for a connection, then go at 40 and 45 ms.
    window.recordStart();
    window.recordStart();
    window.recordWritten(40);
    window.recordWritten(45);

    expect(window.nextAllowedAt(1010)).toBe(1050);
  });

  test('started requests not yet written count as written now', () => {
    const window = new SendWindow(2);
    window.recordStart();
    expect(window.nextAllowedAt(0)).toBe(0);
    window.recordStart();

    expect(window.nextAllowedAt(1)).toBe(Number.POSITIVE_INFINITY);
    window.recordNeverWritten();
    expect(window.nextAllowedAt(2)).toBe(2);
  });
});
