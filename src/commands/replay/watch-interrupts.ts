import { onOutputClosed } from '../../closed-output.js';
import { EXIT_CODES } from '../../errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface InterruptHandlers {
  /** Send no more events; the one in flight finishes. */
  onStop(): void;
  /** Cut off the event in flight too. */
  onAbort(): void;
}

/**
 * The first Ctrl-C, SIGTERM or SIGHUP stops a replay after the event in
 * flight, whose answer is still reported, then prints the summary and
 * exits 130. The second cuts that event off; a third ends the process at
 * once. An output whose reader went away stops the run like the first.
 * Returns the function that stops watching.
 */
export function watchInterrupts(handlers: InterruptHandlers): () => void {
  let received = 0;
  const handle = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      process.stderr.write(
        `\nReceived ${signal}: no more events will be sent once the one in flight is answered. Press Ctrl-C again to cut it off.\n`,
      );
      handlers.onStop();
      return;
    }
    if (received === 2) {
      process.stderr.write(
        'Cutting off the event in flight: the receiver may have received it.\n',
      );
      handlers.onAbort();
      return;
    }
    process.exit(EXIT_CODES.interrupted);
  };
  for (const signal of SIGNALS) process.on(signal, handle);
  const stopWatchingOutput = onOutputClosed(() => {
    if (received === 0) received = 1;
    handlers.onStop();
  });
  return () => {
    for (const signal of SIGNALS) process.off(signal, handle);
    stopWatchingOutput();
  };
}
