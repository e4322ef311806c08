/** Which output went away, and the error that said so (EPIPE mostly). */
export type ClosedOutput = {
  stream: 'standard output' | 'standard error';
  code: string;
};

type Listener = (closed: ClosedOutput) => void;

let closedOutput: ClosedOutput | undefined;
const listeners = new Set<Listener>();
let isGuarded = false;

/**
 * Keeps a closed output from ending the process. When the reader of a
 * pipe goes away (`astradial push … 2>&1 | head -1`), every later write
 * fails with EPIPE, which Node reports as an 'error' event on
 * process.stdout or process.stderr; unhandled, it ends the process at
 * once, with requests in flight unrecorded and the journal still locked.
 * Guarded, the writes are lost quietly and the listeners of
 * `onOutputClosed` hear of it once, so a run can stop as it does on
 * Ctrl-C. Call once, at start-up; later calls do nothing.
 */
export function guardOutputStreams(): void {
  if (isGuarded) return;
  isGuarded = true;
  const streams = [
    ['standard output', process.stdout],
    ['standard error', process.stderr],
  ] as const;
  for (const [name, stream] of streams) {
    // Each failed write emits again: the listener stays for good.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (closedOutput) return;
      closedOutput = { stream: name, code: error.code ?? 'unknown error' };
      for (const listener of listeners) listener(closedOutput);
    });
  }
}

/**
 * Calls `listener` when an output stream fails, or at once when one
 * already has. Returns the function that stops listening.
 */
export function onOutputClosed(listener: Listener): () => void {
  if (closedOutput) {
    listener(closedOutput);
    return () => {};
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}
