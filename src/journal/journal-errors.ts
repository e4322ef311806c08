import { UsageError } from '../errors.js';
import { describeSystemError } from '../system-error.js';

export function inputChangedError(options: {
  inputPath: string;
  journalPath: string;
  createdAt: string;
  delivered: number;
  /** The rejects file of the earlier runs, when there is one. */
  rejectsPath?: string;
}): UsageError {
  const { inputPath, rejectsPath, delivered } = options;
  const fixRows = rejectsPath
    ? `If you edited rows to fix them, undo the edit and rerun this command: it finishes the rows left and writes the rows not delivered to the rejects file ${rejectsPath} again. Fix them there and push that file (astradial push ${rejectsPath} …): it sends only them.`
    : `If you edited rows to fix them, undo the edit and rerun this command to resume; rows that are not delivered go to a rejects file, which you can fix and push on its own.`;
  return new UsageError(
    'state.inputChanged',
    `${inputPath} is not the file the push journal ${options.journalPath} was started with on ${options.createdAt}, which has ${delivered} rows as delivered: the file's content changed since then, so pushing it could send leads twice. ${fixRows} Only if this is a new file to push whole, run again with --restart: it discards the journal and sends every row, also the ${delivered} delivered before.`,
  );
}

export function otherTargetError(options: {
  journalPath: string;
  journalTarget: string;
  target: string;
}): UsageError {
  return new UsageError(
    'state.otherTarget',
    `The push journal ${options.journalPath} records a push to ${options.journalTarget}, not to ${options.target}. To push this file to ${options.target} too, give --state <other path> to keep a separate journal for it; the journal of ${options.journalTarget} stays to resume that push. Only to start over, run again with --restart: it discards that journal and sends every row, also the rows delivered before, and the push to ${options.journalTarget} can no longer resume.`,
  );
}

/**
 * The journal's text is never quoted: a record's detail comes from the
 * server's answer, and the line number is enough to find the damage.
 */
export function damagedJournalError(
  journalPath: string,
  journalLine: number,
  problem: string,
): UsageError {
  return new UsageError(
    'state.damaged',
    `The push journal ${journalPath} is damaged: its line ${journalLine} ${problem}. astradial cannot tell which rows were delivered, so it stops rather than guess. Only if you are sure which rows were delivered (the rejects file of the earlier run lists those that were not), move the journal away and run again with --restart.`,
  );
}

export function unwritableJournalError(
  journalPath: string,
  cause: unknown,
): UsageError {
  return new UsageError(
    'state.unwritable',
    `Could not use the push journal ${journalPath}: ${describeSystemError(cause)}. The journal lets a rerun resume where this one stopped. Give --state <path> to keep it somewhere else, or --no-state to push without one.`,
    { cause },
  );
}
