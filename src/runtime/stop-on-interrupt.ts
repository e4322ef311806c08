import { onOutputClosed } from '../closed-output.js';
import { EXIT_CODES } from '../errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * For a command with no state to save (verify, trigger): Ctrl-C, SIGTERM,
 * SIGHUP or an output whose reader went away (`astradial verify big.ndjson
 * | head`) ends it at once with exit 130, since nobody is left to read the
 * rest, and a partial report must not pass for a whole one. `unfinished`
 * says what was left undone. Returns the function that stops watching, for
 * when the work is complete.
 */
export function stopOnInterrupt(unfinished: string): () => void {
  const stop = (cause: string) => {
    process.stderr.write(`\nStopped (${cause}) ${unfinished}.\n`);
    process.exit(EXIT_CODES.interrupted);
  };
  const onSignal = (signal: NodeJS.Signals) => stop(`received ${signal}`);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const stopWatchingOutput = onOutputClosed((closed) =>
    stop(`${closed.stream} was closed`),
  );
  return () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    stopWatchingOutput();
  };
}
