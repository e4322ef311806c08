import chalk, { Chalk, chalkStderr, type ChalkInstance } from 'chalk';
import type { Ora } from 'ora';

export interface OutputOptions {
  /** Machine output on stdout; prose stays on stderr. */
  json: boolean;
  /** Only errors and warnings on stderr. */
  quiet: boolean;
  /** False when --no-color was given. */
  color: boolean;
}

/** The options every command takes, given before or after its name. */
export interface GlobalOptions extends OutputOptions {
  /** A config file to use instead of searching for one. */
  config?: string;
  /** Stack traces for errors. */
  debug: boolean;
}

/**
 * Where everything a command says goes: data to stdout, everything else to
 * stderr. Colour and spinners appear only when stderr is a terminal.
 */
export interface Output {
  readonly colors: ChalkInstance;
  /** True when stderr is a terminal a person is watching (not CI). */
  readonly isInteractive: boolean;
  readonly isQuiet: boolean;
  readonly isJson: boolean;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Writes one line of data to stdout. */
  data(line: string): void;
  /**
   * A started spinner on an interactive stderr, otherwise undefined. ora is
   * loaded only then, so runs in CI do not pay for it.
   */
  spinner(text: string): Promise<Ora | undefined>;
}

export function createOutput(options: OutputOptions): Output {
  const colors = isColorWanted(options.color)
    ? chalkStderr
    : new Chalk({ level: 0 });
  // A terminal that reports no width (some pseudo-terminals) sends ora's
  // line clearing into a loop, so it gets plain lines instead.
  const isInteractive =
    Boolean(process.stderr.isTTY) &&
    (process.stderr.columns ?? 0) > 0 &&
    !process.env.CI &&
    !options.quiet;

  return {
    colors,
    isInteractive,
    isQuiet: options.quiet,
    isJson: options.json,
    info(message) {
      if (!options.quiet) process.stderr.write(`${message}\n`);
    },
    warn(message) {
      process.stderr.write(`${colors.yellow('warning')} ${message}\n`);
    },
    error(message) {
      process.stderr.write(`${colors.red('error')} ${message}\n`);
    },
    data(line) {
      process.stdout.write(`${line}\n`);
    },
    async spinner(text) {
      if (!isInteractive) return undefined;
      const { default: ora } = await import('ora');
      return ora({
        text,
        stream: process.stderr,
        // ora would put stdin in raw mode to hide keypresses, and then Ctrl-C
        // no longer raises SIGINT; push must stop gracefully on it.
        discardStdin: false,
        color: colors.level > 0 ? 'cyan' : false,
      }).start();
    },
  };
}

/**
 * Colours for data written to stdout (such as listen's tail): on only when
 * stdout itself is a terminal and neither --no-color nor NO_COLOR says no.
 */
export function createStdoutColors(colorFlag: boolean): ChalkInstance {
  return isColorWanted(colorFlag) ? chalk : new Chalk({ level: 0 });
}

/**
 * chalk checks FORCE_COLOR and the terminal but not NO_COLOR, so that
 * convention (https://no-color.org) is applied here.
 */
function isColorWanted(colorFlag: boolean): boolean {
  const noColor = process.env.NO_COLOR;
  return colorFlag && (noColor === undefined || noColor === '');
}
