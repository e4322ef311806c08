import { parentPort, workerData } from 'node:worker_threads';

import type { CheckOptions } from '../contract/check-event.js';
import { checkRecord } from './check-record.js';
import { packVerdicts } from './checked-run.js';
import { parseLineRun, type LineRun } from './parse-line-run.js';

/**
 * A worker thread of CheckPool: parses and checks the runs of lines it is
 * sent, and answers each with its packed verdicts.
 */
const options = workerData as CheckOptions;

parentPort!.on('message', (message: { id: number; run: LineRun }) => {
  const verdicts = parseLineRun(message.run).map((record) =>
    checkRecord(record, options),
  );
  parentPort!.postMessage({ id: message.id, packed: packVerdicts(verdicts) });
});
