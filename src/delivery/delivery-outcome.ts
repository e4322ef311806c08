/** One lead to send: its JSON text and whatever the caller needs back. */
export type DeliveryJob<T> = {
  /** JSON text, sent as is. */
  body: string;
  /** The caller's row information, handed back with the outcome. */
  context: T;
};

export type FailureReason =
  'server_error' | 'connection_failed' | 'unexpected_response' | 'rate_limited';

/**
 * How one job ended. `attempts` counts every request made for it, 429
 * answers included. A job that got 401 or 415 is `rejected` like any other
 * refused lead; the stop itself shows in `DeliveryQueue.stopReason`.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; attempts: number }
  | {
      kind: 'rejected';
      reason: 'server_rejected';
      status: number;
      /** The server's words, on one line, at most 300 characters. */
      detail: string;
    }
  | {
      kind: 'failed';
      reason: FailureReason;
      detail: string;
      attempts: number;
    };

/** Why the server stopped the run: every later request would fail alike. */
export type StopReason = { status: 401 | 415; detail: string };

/** Progress for logs and spinners; outcomes also go to the outcome callback. */
export type DeliveryEvent<T> =
  | { type: 'delivered'; context: T; attempts: number }
  | { type: 'rejected'; context: T; status: number; detail: string }
  | { type: 'failed'; context: T; reason: FailureReason; detail: string }
  | {
      type: 'retry-scheduled';
      context: T;
      /** The attempt that just failed, from 1. */
      attempt: number;
      delayMs: number;
      reason: 'server_error' | 'connection_failed';
      detail: string;
    }
  /** A 429 paused all sending for `pauseMs`. */
  | { type: 'paused'; pauseMs: number }
  /**
   * The first send after a pause, at `rate` per second; the rate then
   * ramps back up to the configured one.
   */
  | { type: 'resumed'; rate: number }
  /** No more sends: the server said 401 or 415, or the caller stopped. */
  | { type: 'stopped'; reason: StopReason | 'requested' };
