import { onOutputClosed } from '../../closed-output.js';
import { EXIT_CODES } from '../../errors.js';

export interface InterruptWatch {
  dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The first Ctrl-C, SIGTERM or SIGHUP (a closed terminal or SSH session)
 * asks the run to stop gracefully: no new rows, requests in flight finish,
 * the rejects file and the journal are written. A second one ends the
 * process at once; the journal already holds every request that was sent.
 * An output that closed (a pipe whose reader went away) stops the run
 * gracefully too: nobody is left to see it, but the journal must be
 * complete for the rerun. `onFirst` gets the cause, for the rows not sent.
 */
export function watchInterrupts(
  onFirst: (cause: string) => void,
): InterruptWatch {
  let received = 0;
  const handle = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      process.stderr.write(
        `\nReceived ${signal}: finishing the requests in flight and saving what was done. Press Ctrl-C again (or send the signal again) to stop at once.\n`,
      );
      onFirst('interrupted (Ctrl-C or SIGTERM)');
      return;
    }
    process.stderr.write(
      'Stopped at once: the rejects file may be incomplete, and rows whose answer had not come are reported as uncertain by the next run.\n',
    );
    process.exit(EXIT_CODES.interrupted);
  };
  for (const signal of SIGNALS) process.on(signal, handle);
  const stopWatchingOutput = onOutputClosed((closed) => {
    if (received > 0) return;
    received = 1;
    // Heard only when standard error still has a reader.
    process.stderr.write(
      `\nOutput closed (${closed.stream}, ${closed.code}): finishing the requests in flight and saving what was done.\n`,
    );
    onFirst(`interrupted: ${closed.stream} was closed (${closed.code})`);
  });
  return {
    dispose() {
      for (const signal of SIGNALS) process.off(signal, handle);
      stopWatchingOutput();
    },
  };
}

/**
 * Before the first request (reading settings, counting and fingerprinting
 * the file) there is nothing to finish: a signal ends the run at once,
 * with the same exit code, a word on stderr and, for --json, the one
 * object stdout always gets.
 */
export function exitOnInterrupt(isJson: boolean): InterruptWatch {
  const handle = (signal: NodeJS.Signals) => {
    const message = `Received ${signal} before anything was sent: stopped.`;
    process.stderr.write(`\n${message}\n`);
    if (isJson) {
      const exitCode = EXIT_CODES.interrupted;
      const code = 'push.interruptedBeforeSending';
      const report = { outcome: 'interrupted', exitCode, code, message };
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
    process.exit(EXIT_CODES.interrupted);
  };
  for (const signal of SIGNALS) process.on(signal, handle);
  return {
    dispose() {
      for (const signal of SIGNALS) process.off(signal, handle);
    },
  };
}
