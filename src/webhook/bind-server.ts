import type { Server } from 'node:net';

/** Where a server listens once bound. */
export type BoundAddress = {
  /** The address as the system reports it, e.g. 127.0.0.1 or ::1. */
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` (IPv6 in brackets), without a trailing slash. */
  url: string;
};

/**
 * Binds an HTTP or HTTPS server. Resolves with the address actually bound
 * (port 0 becomes the port the system picked); rejects with the system's
 * error (EADDRINUSE, EACCES…) instead of leaving it to an 'error' event.
 */
export async function bindServer(
  server: Server,
  host: string,
  port: number,
  scheme: 'http' | 'https',
): Promise<BoundAddress> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`Expected a TCP address, got ${String(address)}.`);
  }
  const shownHost =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    host: address.address,
    port: address.port,
    url: `${scheme}://${shownHost}:${address.port}`,
  };
}
