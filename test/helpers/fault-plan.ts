import type {
  Sandbox,
  SandboxOptions,
  SandboxReply,
} from '../../src/sandbox/ingest-sandbox.js';

/**
 * The probability, per request, of each fault; they are drawn from one
 * number per request, so together they must not exceed 1.
 */
export interface FaultRates {
  /** 503 with a JSON error body; nothing stored. */
  serverError?: number;
  /** The connection is reset after the body was read; nothing stored. */
  resetBeforeStore?: number;
  /** The lead is stored, then the connection is reset without an answer. */
  resetAfterStore?: number;
  /** The lead is stored and the answer never comes. */
  hangAfterStore?: number;
  /** 429 with `Retry-After: 1`; nothing stored. */
  rateLimited?: number;
  /**
   * The lead is stored, but the 200 carries an HTML captive-portal page
   * instead of AstraDial's JSON, so the client cannot tell it succeeded.
   */
  badSuccessBody?: number;
}

export interface FaultPlanOptions {
  /** The same seed gives the same fault for the same request index. */
  seed: number;
  faults: FaultRates;
}

export type FaultName = keyof FaultRates;

type RespondHook = NonNullable<SandboxOptions['respond']>;

const ERROR_BODY = JSON.stringify({
  status: 'error',
  message: 'Fault plan: the server failed, try later.',
});
const RATE_LIMITED_BODY = JSON.stringify({
  status: 'error',
  message: 'Fault plan: rate limit exceeded.',
});
const CAPTIVE_PORTAL_PAGE =
  '<html><head><title>Sign in to Wi-Fi</title></head><body>Please log in.</body></html>';

// prettier-ignore
const FAULT_REPLIES: Record<FaultName, SandboxReply> = {
  serverError:      { status: 503, body: ERROR_BODY },
  resetBeforeStore: { destroy: true },
  resetAfterStore:  { destroy: true, store: true },
  hangAfterStore:   { hang: true, store: true },
  rateLimited:      { status: 429, headers: { 'retry-after': '1' }, body: RATE_LIMITED_BODY },
  badSuccessBody:   { status: 200, headers: { 'content-type': 'text/html' }, body: CAPTIVE_PORTAL_PAGE, store: true },
};

/** Draw order: fixed, so that a seed means the same plan on every run. */
const FAULT_NAMES = Object.keys(FAULT_REPLIES) as FaultName[];

/**
 * A seeded, deterministic fault plan for tests that kill and resume the CLI
 * many times. It returns a `respond` hook for `startSandbox` that answers
 * the n-th call with the n-th fault of the plan, or undefined for the
 * sandbox's normal answer. The hook is called in request arrival order, so
 * a client that sends one request at a time sees the same faults each run.
 */
export function createFaultPlan(options: FaultPlanOptions): RespondHook {
  verifyFaultRates(options.faults);
  const random = mulberry32(options.seed);
  return () => {
    const draw = random();
    let threshold = 0;
    for (const name of FAULT_NAMES) {
      threshold += options.faults[name] ?? 0;
      if (draw < threshold) return FAULT_REPLIES[name];
    }
    return undefined;
  };
}

/**
 * Counts the sandbox's stored bodies per key, for assertions such as "every
 * row was stored at most once". Needs a sandbox that records.
 */
export function countStoredBy(
  sandbox: Pick<Sandbox, 'storedBodies'>,
  key: (body: unknown) => string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of sandbox.storedBodies()) {
    const name = key(body);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function verifyFaultRates(faults: FaultRates): void {
  let total = 0;
  for (const [name, rate] of Object.entries(faults)) {
    if (rate === undefined) continue;
    if (!(rate >= 0 && rate <= 1)) {
      throw new RangeError(
        `Fault rate ${name} must be between 0 and 1, got ${rate}.`,
      );
    }
    total += rate;
  }
  if (total > 1) {
    throw new RangeError(
      `Fault rates add up to ${total}; at most 1 fits in one draw per request.`,
    );
  }
}

/**
 * mulberry32, a tiny 32-bit PRNG: plenty for picking faults, and the same
 * numbers on every platform, unlike Math.random, which cannot be seeded.
 * Returns numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
