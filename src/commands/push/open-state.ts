import { stat } from 'node:fs/promises';

import { UsageError } from '../../errors.js';
import { fingerprintFile, openJournal } from '../../journal/push-journal.js';
import type { PushState } from './run-push.js';
import type { PushSettings } from './settings.js';

/**
 * Opens the journal of this input and target, when one is kept, after
 * checking that the file is the one the journal knows (see openJournal).
 * Resuming rewrites the rejects file from the start, so a rejects file
 * edited since the last run (rows being fixed in Excel) stops the run
 * rather than being overwritten.
 */
export async function openPushState(
  settings: PushSettings,
): Promise<PushState | undefined> {
  const { statePath, input, target } = settings;
  if (!statePath || !target) return undefined;

  const fingerprint = await fingerprintFile(input);
  const rejects = await stat(settings.rejectsPath).catch(() => undefined);
  const state = await openJournal(
    statePath,
    { inputPath: input, ...fingerprint, target: target.href },
    {
      restart: settings.restart,
      rejectsPath: rejects?.isFile() ? settings.rejectsPath : undefined,
    },
  );
  try {
    if (state.history) {
      await verifyRejectsUntouched(settings.rejectsPath, statePath);
    }
    return state;
  } catch (error) {
    await state.journal.close();
    throw error;
  }
}

/**
 * Clocks of file times differ in precision, and a run closes its rejects
 * file a moment before its journal: a rejects file newer than the journal
 * by more than this was changed afterwards, by someone else.
 */
const EDIT_MARGIN_MS = 2000;

/**
 * A run closes its rejects file before its journal, so a rejects file
 * clearly newer than the journal was changed by someone else afterwards.
 */
async function verifyRejectsUntouched(
  rejectsPath: string,
  statePath: string,
): Promise<void> {
  const rejects = await stat(rejectsPath).catch(() => undefined);
  if (!rejects) return;
  const journal = await stat(statePath);
  if (rejects.mtimeMs <= journal.mtimeMs + EDIT_MARGIN_MS) return;
  throw new UsageError(
    'push.rejectsEdited',
    `${rejectsPath} was changed after the last push of this file wrote it, and resuming would overwrite it. If you fixed rows in it, push it first (astradial push ${rejectsPath} …), or move it away; then rerun.`,
  );
}
