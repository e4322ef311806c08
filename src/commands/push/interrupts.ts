import { EXIT_CODES } from '../../errors.js';

export interface InterruptWatch {
  dispose(): void;
}

/**
 * The first Ctrl-C or SIGTERM asks the run to stop gracefully: no new rows,
 * requests in flight finish, the rejects file is written. A second one
 * ends the process at once.
 */
export function watchInterrupts(onFirst: () => void): InterruptWatch {
  let received = 0;
  const handle = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      process.stderr.write(
        `\nReceived ${signal}: finishing the requests in flight and writing the rejects file. Press Ctrl-C again to stop at once.\n`,
      );
      onFirst();
      return;
    }
    process.stderr.write(
      'Stopped at once; the rejects file may be incomplete.\n',
    );
    process.exit(EXIT_CODES.interrupted);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
  return {
    dispose() {
      process.off('SIGINT', handle);
      process.off('SIGTERM', handle);
    },
  };
}
