/**
 * Defaults of `astradial replay`, in their own module so the command
 * registry can show them in --help without loading the command.
 */

/**
 * Events per second. A receiver being built on a laptop, or listen with
 * its default --rate-limit of 60, takes 10 a second without strain, and a
 * day's capture of a few hundred events still replays within a minute.
 */
export const DEFAULT_RATE = 10;

/** The least --rate: one event every 100 s, as the config's rate allows. */
export const MIN_RATE = 0.01;

/** Time for each answer. A receiver should answer AstraDial within 5 s. */
export const DEFAULT_TIMEOUT = '10s';
