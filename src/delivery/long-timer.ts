/**
 * Node's longest timer, about 24.8 days. A longer delay is not honoured:
 * Node prints a TimeoutOverflowWarning and fires after 1 ms instead, which
 * for a timer that re-arms itself means a warning every millisecond.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Cancels a `startLongTimer` timer, whichever of its pieces is armed. */
export type CancelTimer = () => void;

/**
 * `setTimeout` for a delay of any length: a delay beyond
 * `MAX_TIMER_DELAY_MS` is waited out in pieces, each re-armed when the one
 * before fires, and `callback` runs once the whole delay has passed.
 */
export function startLongTimer(
  callback: () => void,
  delayMs: number,
): CancelTimer {
  let timer: NodeJS.Timeout;
  const arm = (remainingMs: number) => {
    const pieceMs = Math.min(remainingMs, MAX_TIMER_DELAY_MS);
    timer = setTimeout(() => {
      if (remainingMs > pieceMs) arm(remainingMs - pieceMs);
      else callback();
    }, pieceMs);
  };
  arm(delayMs);

  return () => clearTimeout(timer);
}
