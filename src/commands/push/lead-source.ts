import { stat } from 'node:fs/promises';

import { openCsv, type CsvSource } from '../../csv/read-csv.js';
import { UsageError } from '../../errors.js';
import {
  planColumns,
  REJECTS_FILE_COLUMNS,
} from '../../leads/header-mapping.js';
import {
  createRowConverter,
  type RowConverter,
} from '../../leads/row-to-lead.js';
import { isRejectsHeader, restoreDefusedCell } from './rejects-file.js';
import { type PushSettings } from './settings.js';

/**
 * A data row: its physical line in the file and its cells as read. From a
 * rejects file, also the reason an earlier push gave it.
 */
export type SourceRow = {
  line: number;
  cells: string[];
  earlierReason?: string;
};

/** An opened lead file whose header has been checked. */
export interface LeadSource {
  /** The header as the user's file has it (without rejects columns). */
  header: string[];
  delimiter: string;
  /** True when the file is a rejects file from an earlier push. */
  isRejectsFile: boolean;
  /** Data rows, in file order; consumable once. */
  rows: AsyncIterator<SourceRow>;
  convert: RowConverter;
  /** Data rows in the file, when counted before sending. */
  total: number | undefined;
  blankLineCount(): number;
}

/**
 * Opens the input and checks everything that can stop a run before the
 * first request: the encoding, the header, the column mapping, the country,
 * zone and date format. When sending from a file it also counts the rows,
 * which gives progress a total and finds a broken file before anything is
 * sent.
 */
export async function openLeadSource(
  settings: PushSettings,
): Promise<LeadSource> {
  const csv = await openInput(settings);
  const isRejectsFile = isRejectsHeader(csv.header.cells);
  const header = isRejectsFile
    ? csv.header.cells.slice(REJECTS_FILE_COLUMNS.length)
    : csv.header.cells;
  try {
    const convert = createRowConverter({
      plan: planColumns(header, { map: settings.map }),
      defaultCountry: settings.country,
      timezone: settings.timezone,
      dateFormat: settings.dateFormat,
    });
    return {
      header,
      delimiter: csv.delimiter,
      isRejectsFile,
      rows: isRejectsFile
        ? readRejectsFileRows(csv)
        : csv.records[Symbol.asyncIterator](),
      convert,
      total: await countRowsBeforeSending(settings),
      blankLineCount: () => csv.blankLineCount(),
    };
  } catch (error) {
    await csv.close();
    throw nameTheSetting(error, settings);
  }
}

const SETTING_OF_ERROR: Record<string, keyof PushSettings['origins']> = {
  'config.invalidTimezone': 'timezone',
  'config.invalidCountry': 'country',
  'config.invalidDateFormat': 'dateFormat',
  'config.invalidMap': 'map',
};

/** Prefixes a bad setting's error with where the setting came from. */
function nameTheSetting(error: unknown, settings: PushSettings): unknown {
  if (!(error instanceof UsageError)) return error;
  const key = SETTING_OF_ERROR[error.code];
  const origin = key && settings.origins[key];
  if (!origin) return error;
  return new UsageError(error.code, `${origin}: ${error.message}`, {
    cause: error,
  });
}

function openInput(settings: PushSettings): Promise<CsvSource> {
  return openCsv(settings.input === '-' ? process.stdin : settings.input, {
    encoding: settings.encoding,
    delimiter: settings.delimiter,
  });
}

/**
 * Only a regular file can be read twice: a named pipe or /dev/stdin given
 * as the path would be used up by the count.
 */
async function countRowsBeforeSending(
  settings: PushSettings,
): Promise<number | undefined> {
  if (settings.dryRun || settings.input === '-') return undefined;
  if (!(await stat(settings.input)).isFile()) return undefined;
  const csv = await openInput(settings);
  let count = 0;
  for await (const _record of csv.records) count += 1;
  return count;
}

/**
 * A rejects file's rows lose their astradial_* cells and get back the
 * formula-like values that RejectsFile defused, so they send what the
 * original export held.
 */
async function* readRejectsFileRows(csv: CsvSource): AsyncGenerator<SourceRow> {
  for await (const record of csv.records) {
    yield {
      line: record.line,
      cells: record.cells
        .slice(REJECTS_FILE_COLUMNS.length)
        .map(restoreDefusedCell),
      earlierReason: record.cells[1],
    };
  }
}
