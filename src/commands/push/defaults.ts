/**
 * The default pace. The platform allows 60 requests in any second; timers
 * and the network bunch requests together a little, so we keep headroom.
 * `npm run bench` measures the busiest second at each rate against a
 * sandbox that answers in 20-200 ms: at 57 the sandbox saw at most 57, at
 * 58 once 59. Three requests of headroom absorb some network jitter.
 */
export const DEFAULT_RATE = 57;

export const DEFAULT_COUNTRY = 'IN';

/**
 * How long one request may wait to connect or for its answer. The platform
 * promises to answer within 5 s; 30 s covers a slow mobile link without
 * leaving a dead connection hanging for long.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;
