/**
 * Exit codes shared by every command. The numbers are part of the public
 * interface: scripts and CI jobs branch on them, and README.md lists them.
 */
export const EXIT_CODES = {
  ok: 0,
  /** push finished, but some rows were rejected or failed. */
  rowsRejected: 1,
  /** verify: some records break the contract (or could not be parsed). */
  recordsInvalid: 1,
  /** trigger, replay: some events were not answered 2xx, or not at all. */
  eventsNotAccepted: 1,
  /**
   * Usage, config or input error, found before anything was sent; for
   * verify, an input that could not be read or held no records.
   */
  usage: 2,
  /**
   * push stopped the whole run for a cause every row shares: 401, 415, an
   * answer outside the contract, a refused TLS certificate, a host name
   * that does not resolve, a server down for longer than --max-wait, or a
   * journal that could not be written. The state is saved: rerun to resume.
   */
  stopped: 3,
  /**
   * Standard input turned unreadable partway (a bad byte, an unclosed
   * quote), after earlier rows were sent. A file is checked whole first.
   */
  inputBroken: 4,
  /** listen: --timeout passed before the --count events (or any) arrived. */
  listenTimedOut: 5,
  /** listen --expect-valid: an event that fails its schema arrived. */
  invalidEvent: 6,
  /** listen could not bind its address: in use, not this machine's, denied. */
  bindFailed: 7,
  /**
   * listen could not write its capture file (a full disk, say): it answered
   * 500 instead of acknowledging an event it could not record, and stopped.
   */
  captureFailed: 8,
  /** An unexpected failure inside astradial: a bug. */
  internal: 70,
  /** Ctrl-C or SIGTERM, or an output pipe closed under a push. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * An error the user can act on. `code` is a stable identifier such as
 * `config.invalid`; `message` says what went wrong and what to do next.
 */
export class AstradialError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;

  constructor(
    code: string,
    message: string,
    exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AstradialError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A mistake in the command line, the config or the input file. */
export class UsageError extends AstradialError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, EXIT_CODES.usage, options);
    this.name = 'UsageError';
  }
}
