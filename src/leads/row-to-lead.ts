import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

import { UsageError } from '../errors.js';
import { cleanVisibleText, isBlankText } from '../text/invisible.js';
import type { ColumnPlan, StandardField } from './header-mapping.js';
import { createDateReader, type DateReader } from './lead-date.js';
import { normalisePhone, type PhoneRejectReason } from './phone-number.js';

/** The JSON body of one lead push. Every value is a string. */
export type Lead = Record<string, string>;

export type RejectReason =
  | 'column_count'
  | 'name_missing'
  | PhoneRejectReason
  | 'date_invalid'
  | 'unnamed_column_value';

/** A short label for each reason, for summaries such as "3 bad dates". */
// prettier-ignore
export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  column_count:              'wrong number of cells',
  name_missing:              'name missing',
  phone_missing:             'phone number missing',
  phone_invalid:             'phone number not valid',
  phone_scientific_notation: 'phone number in scientific notation',
  phone_multiple_numbers:    'more than one phone number in a cell',
  date_invalid:              'date not valid',
  unnamed_column_value:      'value in a column with no header',
};

export type ConvertResult =
  | { ok: true; lead: Lead }
  | { ok: false; reason: RejectReason; detail: string };

export interface RowConverterOptions {
  plan: ColumnPlan;
  /** ISO 3166 code for numbers written without a country code, e.g. IN. */
  defaultCountry: CountryCode;
  /** IANA zone for dates written without an offset. */
  timezone: string;
  /** Date layout such as `MM/DD/YYYY`; day-first when left out. */
  dateFormat?: string;
}

/** Converts the cells of one row; never throws for bad cell content. */
export type RowConverter = (cells: string[]) => ConvertResult;

type Problem = { reason: RejectReason; detail: string };

/** What every row of one file is converted with, worked out once. */
type RowContext = {
  plan: ColumnPlan;
  defaultCountry: CountryCode;
  readDate: DateReader;
  nameIndex: number;
  phoneIndex: number;
  dateColumns: { field: (typeof DATE_FIELDS)[number]; index: number }[];
};

// Dates come right after name and phone, in this order, in every lead.
const DATE_FIELDS = ['event_date', 'register_date'] as const;

/**
 * Creates a converter from CSV cells to a lead. Throws a UsageError for an
 * unknown country, zone or date format, so that mistake stops the run
 * before any row is read.
 */
export function createRowConverter(options: RowConverterOptions): RowConverter {
  verifyCountry(options.defaultCountry);
  const readDate = createDateReader({
    timezone: options.timezone,
    dateFormat: options.dateFormat,
  });
  const fieldIndexes = findFieldIndexes(options.plan);
  const dateColumns = DATE_FIELDS.flatMap((field) => {
    const index = fieldIndexes.get(field);
    return index === undefined ? [] : [{ field, index }];
  });
  const row: RowContext = {
    plan: options.plan,
    defaultCountry: options.defaultCountry,
    readDate,
    nameIndex: fieldIndexes.get('customer_name') as number,
    phoneIndex: fieldIndexes.get('phone_number') as number,
    dateColumns,
  };

  return (cells) => convertRow(cells, row);
}

function convertRow(rowCells: string[], row: RowContext): ConvertResult {
  const columnCount = row.plan.header.length;
  const cells = fitToHeader(rowCells, row.plan.header);
  if (cells === undefined) {
    const detail = `${rowCells.length} cells, header has ${columnCount}`;
    return { ok: false, reason: 'column_count', detail };
  }

  // Key order is the order fields are added: name, phone, dates, custom.
  const problems: Problem[] = [];
  const lead: Lead = {};

  const name = cleanVisibleText(cells[row.nameIndex] ?? '');
  if (name === '') {
    const detail = 'customer_name is empty';
    problems.push({ reason: 'name_missing', detail });
  }
  lead.customer_name = name;

  const phoneCell = cells[row.phoneIndex] ?? '';
  const phone = normalisePhone(phoneCell, row.defaultCountry);
  if (phone.ok) lead.phone_number = phone.e164;
  else problems.push({ reason: phone.reason, detail: phone.detail });

  addDates(row, cells, lead, problems);
  addOtherColumns(row.plan, cells, lead, problems);

  return summarise(lead, problems);
}

/**
 * The row's cells, one per header column, or undefined when they do not
 * fit. An export that ends every data row with a delimiter (`Pune,`) but
 * not the header, or only the header (`City,`), differs from the header
 * by empty cells under no column, or columns with no name and nothing
 * under them: nothing is lost by leaving those out. A cell with text that
 * no header names (C08: an unquoted comma) still does not fit.
 */
function fitToHeader(
  cells: string[],
  header: readonly string[],
): string[] | undefined {
  if (cells.length === header.length) return cells;
  if (cells.length > header.length) {
    const extra = cells.slice(header.length);
    return extra.every(isBlankText) ? cells.slice(0, header.length) : undefined;
  }
  const unfilled = header.slice(cells.length);
  if (!unfilled.every(isBlankText)) return undefined;
  return [...cells, ...unfilled.map(() => '')];
}

/** A blank date is left out; a date that cannot be read is a problem. */
function addDates(
  row: RowContext,
  cells: string[],
  lead: Lead,
  problems: Problem[],
): void {
  for (const { field, index } of row.dateColumns) {
    const cell = cells[index] ?? '';
    if (isBlankText(cell)) continue;

    const date = row.readDate(cell);
    if (date.ok) {
      lead[field] = date.iso;
    } else {
      const detail = `${field}: ${date.detail}`;
      problems.push({ reason: 'date_invalid', detail });
    }
  }
}

/**
 * Custom fields go out byte for byte (no trimming, no number casting, so
 * `09876` and `1,00,000` survive); a blank cell is left out. A value under
 * a column with no header is a problem, never silently dropped.
 */
function addOtherColumns(
  plan: ColumnPlan,
  cells: string[],
  lead: Lead,
  problems: Problem[],
): void {
  for (const column of plan.columns) {
    const cell = cells[column.index] ?? '';
    if (column.kind === 'standard' || column.kind === 'rejects-file') continue;
    if (isBlankText(cell)) continue;

    if (column.kind === 'custom') setField(lead, column.key, cell);
    else problems.push(unnamedValueProblem(column.index, cell));
  }
}

function unnamedValueProblem(index: number, cell: string): Problem {
  const shown = cell.length > 40 ? `${cell.slice(0, 40)}...` : cell;

  return {
    reason: 'unnamed_column_value',
    detail: `column ${index + 1} has no header but holds "${shown}"; add a header or clear the cell`,
  };
}

/** The first problem gives the reason; the detail lists every problem. */
function summarise(lead: Lead, problems: Problem[]): ConvertResult {
  const [first] = problems;
  if (!first) return { ok: true, lead };

  const detail =
    problems.length === 1
      ? first.detail
      : problems.map((problem) => problem.detail.replace(/\.$/, '')).join('; ');
  return { ok: false, reason: first.reason, detail };
}

// A header named `__proto__` would otherwise set the object's prototype
// instead of adding a field, and the value would vanish.
function setField(lead: Lead, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(lead, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return;
  }
  lead[key] = value;
}

function findFieldIndexes(plan: ColumnPlan): Map<StandardField, number> {
  const indexes = new Map<StandardField, number>();
  for (const column of plan.columns) {
    if (column.kind === 'standard') indexes.set(column.field, column.index);
  }
  if (!indexes.has('customer_name') || !indexes.has('phone_number')) {
    throw new Error('The column plan has no name or phone column: a bug.');
  }

  return indexes;
}

function verifyCountry(country: string): void {
  if (isSupportedCountry(country)) return;

  throw new UsageError(
    'config.invalidCountry',
    `Unknown country "${country}". Use a two-letter ISO code such as IN, US or GB.`,
  );
}
