/** One lead to send: its JSON text and whatever the caller needs back. */
export type DeliveryJob<T> = {
  /** JSON text, sent as is. */
  body: string;
  /** The caller's row information, handed back with the outcome. */
  context: T;
};

/** Why a job ended without delivery while the server surely kept nothing. */
export type FailureReason =
  'server_error' | 'connection_failed' | 'rate_limited';

/**
 * How one job ended. `attempts` counts every request made for it, 429
 * answers included.
 *
 * - `failed`: the server certainly did not store the lead (it answered 5xx
 *   or 429, or nothing was ever written); sending it again is safe.
 * - `uncertain`: a request was written and no valid answer came back (a
 *   timeout, a reset, a 2xx without `{"status":"success"}`). The server may
 *   have stored it, and the contract has no idempotency key, so sending it
 *   again may create a duplicate: the caller decides.
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
    }
  | { kind: 'uncertain'; detail: string; attempts: number };

/**
 * Why the whole run stopped: every later request would fail alike. The job
 * that showed it is unsent (or uncertain, for `unexpected_answer` after a
 * 2xx), never rejected, so a later run sends it again.
 */
export type StopReason = {
  kind: StopKind;
  /** The HTTP status that caused the stop, when an answer did. */
  status?: number;
  detail: string;
};

export type StopKind =
  /** 401: the secret is wrong or missing. */
  | 'unauthorized'
  /** 415: the server does not take our Content-Type. */
  | 'unsupported_media_type'
  /** An answer outside the contract: a 2xx without success, a 1xx or 3xx. */
  | 'unexpected_answer'
  /** The server's TLS certificate was not accepted. */
  | 'tls'
  /** The host name does not resolve, and never did in this run. */
  | 'host_not_found'
  /** Only errors for longer than `maxWaitMs`. */
  | 'unavailable'
  /** The caller's `beforeSend` failed (its journal could not be written). */
  | 'before_send_failed';

/** Progress for logs and spinners; outcomes also go to the outcome callback. */
export type DeliveryEvent<T> =
  | { type: 'delivered'; context: T; attempts: number }
  | { type: 'rejected'; context: T; status: number; detail: string }
  | { type: 'failed'; context: T; reason: FailureReason; detail: string }
  | { type: 'uncertain'; context: T; detail: string }
  | {
      type: 'retry-scheduled';
      context: T;
      /** The attempt that just failed, from 1. */
      attempt: number;
      delayMs: number;
      reason: 'server_error' | 'connection_failed';
      detail: string;
    }
  /**
   * A 429 paused all sending for `pauseMs`. `sentLastSecond` is how many
   * requests this queue wrote in the second before: far below the limit,
   * someone else shares the limit (another program behind the same public
   * address) or the server limits harder than documented.
   */
  | { type: 'paused'; pauseMs: number; sentLastSecond: number }
  /**
   * The first send after a pause, at `rate` per second; the rate then
   * ramps back up to the configured one.
   */
  | { type: 'resumed'; rate: number }
  /** Several attempts in a row failed: the server looks down. */
  | { type: 'outage'; failuresInRow: number; pauseMs: number; detail: string }
  /** No more sends: the server stopped the run, or the caller did. */
  | { type: 'stopped'; reason: StopReason | 'requested' };
