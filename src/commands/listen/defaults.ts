/**
 * Defaults of `astradial listen`, in their own module so the command
 * registry can show them in --help without loading the command.
 */
export const DEFAULT_PORT = 8787;
/** Loopback: exposing the receiver to the network is the user's choice. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY = '1mb';
/** AstraDial's documented limit per address and second. */
export const DEFAULT_RATE_LIMIT = 60;
export const DEFAULT_REQUEST_TIMEOUT = '10s';
/** How long a forward to the app may take; up to 24h for breakpoints. */
export const DEFAULT_FORWARD_TIMEOUT = '30s';
/** Events waiting to be forwarded, at most, behind the one being sent. */
export const DEFAULT_FORWARD_QUEUE = 1000;
