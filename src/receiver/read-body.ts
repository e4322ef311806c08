import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { outcome: 'complete'; body: Buffer }
  /** More than `maxBytes` arrived; what came after the limit was dropped. */
  | { outcome: 'tooLarge'; receivedBytes: number }
  /** The body did not arrive completely within `timeoutMs`. */
  | { outcome: 'timedOut' }
  /** The client went away mid-body. */
  | { outcome: 'aborted' };

/**
 * Reads a request body, keeping at most `maxBytes`. Resolves `tooLarge` as
 * soon as the limit is passed, without keeping what follows: once the
 * answer is sent, node:http reads the rest and drops it, so the connection
 * stays usable. A client that stops sending (a stalled body) resolves
 * `timedOut` after `timeoutMs`, counted from when its headers arrived.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => settle({ outcome: 'timedOut' }), timeoutMs);

    function settle(result: BodyResult): void {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      resolve(result);
    }
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > maxBytes) {
        settle({ outcome: 'tooLarge', receivedBytes: size });
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      settle({ outcome: 'complete', body: Buffer.concat(chunks, size) });
    }
    function onAborted(): void {
      settle({ outcome: 'aborted' });
    }

    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    // A reset mid-body also ends as 'aborted'; the error itself is expected.
    request.on('error', () => {});
  });
}
