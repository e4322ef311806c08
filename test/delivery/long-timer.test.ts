import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

import {
  MAX_TIMER_DELAY_MS,
  startLongTimer,
} from '../../src/delivery/long-timer.js';

/** 34 days: past the longest timer, short of twice it. */
const LONG_DELAY_MS = 3e9;

describe('startLongTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a short delay is one plain timer', () => {
    const callback = vi.fn();
    startLongTimer(callback, 50);

    vi.advanceTimersByTime(49);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  test('a delay past the longest timer fires once, after the whole delay', () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const callback = vi.fn();
    startLongTimer(callback, LONG_DELAY_MS);

    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(LONG_DELAY_MS - MAX_TIMER_DELAY_MS - 1);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    const delays = setTimeoutSpy.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...delays)).toBe(MAX_TIMER_DELAY_MS);
  });

  test('cancelling between pieces stops the timer for good', () => {
    const callback = vi.fn();
    const cancel = startLongTimer(callback, LONG_DELAY_MS);

    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    cancel();
    vi.advanceTimersByTime(LONG_DELAY_MS);
    expect(callback).not.toHaveBeenCalled();
  });
});
