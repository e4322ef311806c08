import { readFile } from 'node:fs/promises';

import { UsageError } from '../../errors.js';
import { describeJsonError } from '../../verify/describe-json-error.js';

/** A --data file: its bytes, to send unchanged, and the JSON they hold. */
export type DataFile = {
  bytes: Buffer;
  /** The bytes as text: the same characters, for the curl command. */
  text: string;
  value: unknown;
};

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Reads and checks a --data file. JSON is UTF-8 text, so a file that is
 * not is refused rather than sent with its bytes changed; a JSON mistake
 * is reported with its line and column. A leading byte order mark, which
 * Windows editors add, is allowed (RFC 8259 lets parsers ignore it) and
 * kept in the bytes sent, so a receiver's handling of one can be tested.
 */
export async function readDataFile(file: string): Promise<DataFile> {
  const bytes = await readBytes(file);
  const text = decodeUtf8(bytes, file);
  const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  try {
    return { bytes, text, value: JSON.parse(json) };
  } catch (error) {
    const reason = describeJsonError(error, json, {
      line: 1,
      column: 1,
      isOneLine: false,
    });
    throw new UsageError(
      'trigger.invalidData',
      `--data ${file} is not valid JSON: ${reason}. Fix the file, or leave out --data to send a sample event.`,
      { cause: error },
    );
  }
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(
      'trigger.unreadableData',
      `Could not read --data ${file}. Check the path and its permissions.`,
      { cause: error },
    );
  }
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bytes,
    );
  } catch (error) {
    throw new UsageError(
      'trigger.dataNotUtf8',
      `--data ${file} is not UTF-8 text, and JSON must be. Save it as UTF-8 in your editor and run again.`,
      { cause: error },
    );
  }
}
