import { UsageError } from '../errors.js';
import { isBlankText, stripInvisible } from '../text/invisible.js';

export type StandardField =
  'customer_name' | 'phone_number' | 'event_date' | 'register_date';

/**
 * Headers recognised for each standard field. They match loosely: case,
 * spaces, punctuation and invisible characters are ignored, so `Mobile No.`
 * also matches `mobile_no` and `MOBILE NO`. The date lists are short on
 * purpose, since a column taken for a date is checked as one and a row
 * with a bad date is not sent.
 */
// prettier-ignore
export const FIELD_ALIASES: Record<StandardField, readonly string[]> = {
  customer_name: [
    'customer_name', 'Name', 'Customer Name', 'Customer', 'Full Name',
    'Customer Full Name', 'Lead Name', 'Lead', 'Contact Name',
    'Contact Person', 'Client Name', 'Client', 'Prospect Name',
    'Name of Customer',
  ],
  phone_number: [
    'phone_number', 'Phone', 'Phone Number', 'Phone No', 'Phone Num', 'Ph No',
    'Mobile', 'Mobile No', 'Mobile Number', 'Mobile Num', 'Mobile Phone',
    'Mob', 'Mob No', 'Contact Number', 'Contact No', 'Contact Phone',
    'Cell', 'Cell Phone', 'Cell Number', 'Cell No', 'Telephone',
    'Telephone Number', 'Tel', 'Tel No', 'WhatsApp', 'WhatsApp Number',
    'WhatsApp No', 'Customer Phone', 'Customer Mobile', 'Lead Phone',
    'Lead Mobile', 'Primary Phone', 'MSISDN',
  ],
  register_date: [
    'register_date', 'Register Date', 'Registration Date', 'Registered Date',
    'Registered On', 'Reg Date', 'Date of Registration', 'Signup Date',
    'Sign-up Date', 'Signed Up On',
  ],
  event_date: [
    'event_date', 'Event Date', 'Event Time', 'Event Date Time',
    'Event Datetime', 'Event On', 'Event Day', 'Date of Event',
  ],
};

/**
 * Columns our rejects file adds so it can be fixed and pushed again. They
 * are never sent.
 */
export const REJECTS_FILE_COLUMNS = [
  'astradial_line',
  'astradial_reason',
  'astradial_detail',
] as const;

export type PlannedColumn =
  | { kind: 'standard'; index: number; header: string; field: StandardField }
  | { kind: 'custom'; index: number; header: string; key: string }
  | { kind: 'unnamed'; index: number; header: string }
  | { kind: 'rejects-file'; index: number; header: string };

export interface ColumnPlan {
  /** The header cells as read. */
  readonly header: readonly string[];
  /** What happens to each column, in header order; `index` is 0-based. */
  readonly columns: readonly PlannedColumn[];
  /** Headers of rejects-file columns found, which are not sent. */
  readonly rejectsFileColumns: readonly string[];
}

export interface PlanOptions {
  /**
   * JSON field to send, mapped to the header it comes from, matched as
   * loosely as aliases. `#4` names the fourth column by position, which is
   * the only way to tell apart two columns with the same header.
   */
  map?: Record<string, string>;
}

const STANDARD_FIELDS = Object.keys(FIELD_ALIASES) as StandardField[];
/** Excel's first line `sep=;` (or `sep=,`), which names the delimiter. */
const EXCEL_SEPARATOR_HINT = /^sep=.?$/i;

const REQUIRED_FIELDS: readonly StandardField[] = [
  'customer_name',
  'phone_number',
];
const POSITION_PATTERN = /^#(\d+)$/;
const NOT_LETTER_OR_DIGIT_PATTERN = /[^\p{L}\p{M}\p{N}]/gu;

const FIELD_BY_ALIAS = new Map(
  STANDARD_FIELDS.flatMap((field) =>
    FIELD_ALIASES[field].map((alias) => [normaliseHeader(alias), field]),
  ),
);
const REJECTS_FILE_NAMES = new Set(REJECTS_FILE_COLUMNS.map(normaliseHeader));

/** The form in which headers are compared: letters and digits, lowercase. */
export function normaliseHeader(text: string): string {
  return stripInvisible(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOT_LETTER_OR_DIGIT_PATTERN, '');
}

/**
 * Decides which column feeds each JSON field. Throws a UsageError, before
 * anything is sent, for a duplicated header, a missing name or phone
 * column, two columns that both look like one standard field, or a `map`
 * entry that names no column.
 */
export function planColumns(
  header: string[],
  options: PlanOptions = {},
): ColumnPlan {
  const mappedKeys = resolveMap(header, options.map ?? {});
  verifyNoDuplicateHeaders(header, mappedKeys);

  const aliasColumns = findAliasColumns(header, mappedKeys);
  const columns = header.map((text, index) =>
    planColumn(text, index, mappedKeys, aliasColumns),
  );
  verifyRequiredFields(header, columns);
  verifyUniqueKeys(columns);

  const rejectsFileColumns = columns
    .filter((column) => column.kind === 'rejects-file')
    .map((column) => column.header);

  return { header, columns, rejectsFileColumns };
}

/** Column index to JSON key, for every `map` entry. */
function resolveMap(
  header: string[],
  map: Record<string, string>,
): Map<number, string> {
  const keysByIndex = new Map<number, string>();

  for (const [key, wanted] of Object.entries(map)) {
    if (isBlankText(key)) {
      throw new UsageError(
        'config.invalidMap',
        `--map has an entry with no field name for "${wanted}". Write it as field=header, such as phone_number=Mobile.`,
      );
    }
    const index = findMappedColumn(header, key, wanted);
    const earlierKey = keysByIndex.get(index);
    if (earlierKey !== undefined) {
      throw new UsageError(
        'config.invalidMap',
        `--map sends ${describeColumn(header, index)} as both ${earlierKey} and ${key}. Map each column once.`,
      );
    }
    keysByIndex.set(index, key);
  }

  return keysByIndex;
}

function findMappedColumn(
  header: string[],
  key: string,
  wanted: string,
): number {
  const position = POSITION_PATTERN.exec(wanted.trim());
  if (position) {
    const index = Number(position[1]) - 1;
    if (index >= 0 && index < header.length) return index;
    throw new UsageError(
      'input.missingColumn',
      `--map ${key}=${wanted} names column ${index + 1}, but the header has ${header.length} columns: ${listHeaders(header)}.`,
    );
  }

  const normalised = normaliseHeader(wanted);
  const matches = header
    .map((text, index) => ({ index, name: normaliseHeader(text) }))
    .filter((candidate) => candidate.name === normalised && normalised !== '');
  const [match] = matches;
  if (!match) {
    throw new UsageError(
      'input.missingColumn',
      `--map ${key}=${wanted} names no column in this file. The header has: ${listHeaders(header)}.`,
    );
  }
  if (matches.length > 1) {
    const positions = matches.map((candidate) => candidate.index + 1);
    throw new UsageError(
      'input.ambiguousColumn',
      `--map ${key}=${wanted} matches columns ${joinWords(positions.map(String))}. Name one by its position instead, such as ${key}=#${match.index + 1}.`,
    );
  }

  return match.index;
}

/**
 * Two columns whose headers match loosely cannot both be sent: keyed by
 * name, one would silently replace the other. Columns named in `map` are
 * left out, since the map already says what each of them is.
 */
function verifyNoDuplicateHeaders(
  header: string[],
  mappedKeys: Map<number, string>,
): void {
  const indexesByName = new Map<string, number[]>();
  header.forEach((text, index) => {
    if (mappedKeys.has(index) || isBlankText(text)) return;
    const name = normaliseHeader(text) || trimHeader(text);
    indexesByName.set(name, [...(indexesByName.get(name) ?? []), index]);
  });

  const groups = [...indexesByName.values()].filter(
    (indexes) => indexes.length > 1,
  );
  const [firstGroup] = groups;
  if (!firstGroup) return;

  const problems = groups.map((indexes) => describeDuplicate(header, indexes));
  const lastIndex = firstGroup.at(-1) as number;
  const example = `${trimHeader(header[lastIndex] ?? '')} 2=#${lastIndex + 1}`;
  throw new UsageError(
    'input.duplicateHeader',
    `${problems.join(' ')} Rename the columns so each header is different, or use --map to send one of them under another name, naming the column by its position (for example "${example}").`,
  );
}

function describeDuplicate(header: string[], indexes: number[]): string {
  const texts = indexes.map((index) => trimHeader(header[index] ?? ''));
  const positions = joinWords(indexes.map((index) => String(index + 1)));
  if (texts.every((text) => text === texts[0])) {
    const text = texts[0] ?? '';
    return `The header has "${text}" more than once, in columns ${positions}.`;
  }

  const described = indexes.map((index) => describeColumn(header, index));
  const columns = joinWords(described);
  return `${columns} are the same header, as case, spaces and punctuation are ignored.`;
}

/** Index of the one column whose header is an alias of each field. */
function findAliasColumns(
  header: string[],
  mappedKeys: Map<number, string>,
): Map<StandardField, number> {
  const mappedFields = new Set(mappedKeys.values());
  const indexesByField = new Map<StandardField, number[]>();
  header.forEach((text, index) => {
    const field = FIELD_BY_ALIAS.get(normaliseHeader(text));
    if (!field || mappedFields.has(field) || mappedKeys.has(index)) return;
    indexesByField.set(field, [...(indexesByField.get(field) ?? []), index]);
  });

  const columnsByField = new Map<StandardField, number>();
  for (const [field, indexes] of indexesByField) {
    if (indexes.length > 1) throw ambiguousField(header, field, indexes);
    columnsByField.set(field, indexes[0] as number);
  }

  return columnsByField;
}

function ambiguousField(
  header: string[],
  field: StandardField,
  indexes: number[],
): UsageError {
  const described = indexes.map((index) => describeColumn(header, index));
  const example = trimHeader(header[indexes[0] as number] ?? '');

  return new UsageError(
    'input.ambiguousColumn',
    `${joinWords(described)} could each be ${field}. Choose one with --map, such as ${field}="${example}"; the other is then sent as a custom field.`,
  );
}

function planColumn(
  text: string,
  index: number,
  mappedKeys: Map<number, string>,
  aliasColumns: Map<StandardField, number>,
): PlannedColumn {
  const header = trimHeader(text);
  const mappedKey = mappedKeys.get(index);
  if (mappedKey !== undefined) {
    return isStandardField(mappedKey)
      ? { kind: 'standard', index, header, field: mappedKey }
      : { kind: 'custom', index, header, key: mappedKey };
  }
  if (REJECTS_FILE_NAMES.has(normaliseHeader(text))) {
    return { kind: 'rejects-file', index, header };
  }
  if (header === '') return { kind: 'unnamed', index, header };

  const field = FIELD_BY_ALIAS.get(normaliseHeader(text));
  if (field && aliasColumns.get(field) === index) {
    return { kind: 'standard', index, header, field };
  }

  return { kind: 'custom', index, header, key: header };
}

function verifyRequiredFields(
  header: string[],
  columns: PlannedColumn[],
): void {
  const found = new Set(
    columns.flatMap((column) =>
      column.kind === 'standard' ? [column.field] : [],
    ),
  );
  const missing = REQUIRED_FIELDS.filter((field) => !found.has(field));
  if (missing.length === 0) return;
  if (header.length > 0 && EXCEL_SEPARATOR_HINT.test(header[0]!)) {
    throw new UsageError(
      'input.separatorLine',
      `Line 1 is "${header[0]}", Excel's note of the delimiter, not the header. Delete that line and push again: astradial finds the delimiter itself, and line numbers in the rejects file will then count from the new first line.`,
    );
  }

  const example = missing[0] === 'customer_name' ? 'Name' : 'Mobile';
  throw new UsageError(
    'input.missingColumn',
    `No column for ${missing.join(' or ')}. The header has: ${listHeaders(header)}. Rename the column (for example to ${example}) or pass --map, such as ${missing[0]}="<header>".`,
  );
}

/** Two columns sent under one JSON key would lose one of them. */
function verifyUniqueKeys(columns: PlannedColumn[]): void {
  const columnsByKey = new Map<string, PlannedColumn>();

  for (const column of columns) {
    const key = keyOf(column);
    if (key === undefined) continue;
    const earlier = columnsByKey.get(key);
    if (earlier) {
      throw new UsageError(
        'input.duplicateField',
        `Columns ${earlier.index + 1} "${earlier.header}" and ${column.index + 1} "${column.header}" would both be sent as "${key}". Rename one of them or change --map.`,
      );
    }
    columnsByKey.set(key, column);
  }
}

function keyOf(column: PlannedColumn): string | undefined {
  if (column.kind === 'standard') return column.field;
  if (column.kind === 'custom') return column.key;

  return undefined;
}

function isStandardField(key: string): key is StandardField {
  return (STANDARD_FIELDS as string[]).includes(key);
}

/** Removes whitespace and invisible characters from both ends only. */
function trimHeader(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlankText(text.charAt(start))) start += 1;
  while (end > start && isBlankText(text.charAt(end - 1))) end -= 1;

  return text.slice(start, end);
}

function describeColumn(header: string[], index: number): string {
  const text = trimHeader(header[index] ?? '');
  return text === ''
    ? `column ${index + 1} (no header)`
    : `"${text}" (column ${index + 1})`;
}

function listHeaders(header: string[]): string {
  if (header.length === 0) return '(nothing)';

  return header
    .map((text, index) =>
      isBlankText(text)
        ? `(column ${index + 1}, no header)`
        : `"${trimHeader(text)}"`,
    )
    .join(', ');
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');

  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
