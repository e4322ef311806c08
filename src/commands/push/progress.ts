import { type Output } from '../../output.js';

export interface ProgressSnapshot {
  /** Rows finished: delivered or rejected. */
  done: number;
  /**
   * Requests this run has sent, retries included; in a dry run, rows
   * checked. The rate shown is measured on it, so rows skipped as
   * delivered by an earlier run do not inflate it.
   */
  sent: number;
  /** Data rows in the file, when known before the run. */
  total: number | undefined;
  delivered: number;
  /** Rows rejected, uncertain or left for a rerun. */
  rejected: number;
  retrying: number;
  /** Time left in a pause of all sending, in ms. */
  pausedForMs: number;
  /** What paused it: a 429, or a server failing request after request. */
  pauseCause: 'rate_limited' | 'server_failing' | undefined;
}

/** How often a line is printed when stderr is not a terminal. */
const PLAIN_INTERVAL_MS = 5_000;
const SPINNER_INTERVAL_MS = 200;
/** The rate shown is measured over this many recent seconds. */
const RATE_WINDOW_MS = 5_000;

export interface Progress {
  /** Prints a warning without garbling the spinner line. */
  note(message: string): void;
  stop(): void;
}

/**
 * Shows how a run is going: a spinner line on a terminal, a plain line every
 * few seconds otherwise, nothing with --quiet or --json.
 */
export async function startProgress(
  output: Output,
  readSnapshot: () => ProgressSnapshot,
): Promise<Progress> {
  if (output.isQuiet || output.isJson) {
    return { note: (message) => output.warn(message), stop() {} };
  }

  const samples: Array<{ time: number; sent: number }> = [];
  const describe = (): string => {
    const snapshot = readSnapshot();
    const now = Date.now();
    samples.push({ time: now, sent: snapshot.sent });
    while (samples.length > 2 && now - samples[0]!.time > RATE_WINDOW_MS) {
      samples.shift();
    }
    return formatProgress(snapshot, measureRate(samples));
  };

  const spinner = await output.spinner(describe());
  if (spinner) {
    const timer = setInterval(() => {
      spinner.text = describe();
    }, SPINNER_INTERVAL_MS);
    return {
      note(message) {
        spinner.clear();
        output.warn(message);
        spinner.render();
      },
      stop() {
        clearInterval(timer);
        spinner.stop();
      },
    };
  }

  const timer = setInterval(() => {
    process.stderr.write(`${describe()}\n`);
  }, PLAIN_INTERVAL_MS);
  timer.unref();
  return {
    note: (message) => output.warn(message),
    stop: () => clearInterval(timer),
  };
}

function measureRate(samples: Array<{ time: number; sent: number }>): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.time === first.time) return 0;
  return ((last.sent - first.sent) * 1000) / (last.time - first.time);
}

export function formatProgress(
  snapshot: ProgressSnapshot,
  rate: number,
): string {
  const parts = [
    snapshot.total === undefined
      ? `${snapshot.done} rows`
      : `${snapshot.done}/${snapshot.total} rows`,
    `${snapshot.delivered} delivered`,
    `${snapshot.rejected} not delivered`,
  ];
  if (snapshot.retrying > 0) parts.push(`${snapshot.retrying} retrying`);
  if (snapshot.pausedForMs > 0) {
    const cause =
      snapshot.pauseCause === 'server_failing'
        ? 'server failing'
        : 'server said 429';
    parts.push(
      `paused ${formatDuration(snapshot.pausedForMs / 1000)} (${cause})`,
    );
  }
  parts.push(`${rate.toFixed(1)}/s`);
  if (snapshot.total !== undefined && rate > 0) {
    parts.push(
      `ETA ${formatDuration((snapshot.total - snapshot.done) / rate)}`,
    );
  }
  return parts.join(', ');
}

function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
