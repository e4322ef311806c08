import { readRecords } from '../../verify/read-records.js';
import type { RawRecord } from '../../verify/raw-record.js';
import type { VerifyInput } from '../../verify/resolve-inputs.js';

/** A record of the capture with its place among the records, from 0. */
export type NumberedRecord = { ordinal: number; record: RawRecord };

/**
 * The capture's records one by one, numbered in reading order (blank
 * lines are no records), so that a second reading of an unchanged file
 * finds each record by the number the first gave it. Stops early when
 * the caller does, closing the file.
 */
export async function* numberedRecords(
  input: VerifyInput,
): AsyncGenerator<NumberedRecord, void, undefined> {
  let ordinal = 0;
  for await (const batch of readRecords(input)) {
    for (const record of batch) {
      yield { ordinal, record };
      ordinal += 1;
    }
  }
}
