import { onOutputClosed } from '../../closed-output.js';
import { EXIT_CODES } from '../../errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * verify keeps no state, so Ctrl-C, SIGTERM, SIGHUP or an output whose
 * reader went away (`astradial verify big.ndjson | head`) ends it at once
 * with exit 130: nobody is left to read the rest of the report, and a
 * partial one must not pass for a verdict. Returns the function that stops
 * watching, for when the report is complete.
 */
export function stopOnInterrupt(): () => void {
  const stop = (cause: string) => {
    process.stderr.write(
      `\nStopped (${cause}) before every record was checked: no verdict.\n`,
    );
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
