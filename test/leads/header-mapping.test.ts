import { describe, expect, test } from 'vitest';

import { UsageError } from '../../src/errors.js';
import {
  FIELD_ALIASES,
  normaliseHeader,
  planColumns,
  type PlanOptions,
} from '../../src/leads/header-mapping.js';

/** Runs planColumns and returns the UsageError it throws. */
function planError(header: string[], options?: PlanOptions): UsageError {
  try {
    planColumns(header, options);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`planColumns accepted ${JSON.stringify(header)}`);
}

/** JSON key each column is sent under, or its kind when it is not sent. */
function keysOf(header: string[], options?: PlanOptions): string[] {
  return planColumns(header, options).columns.map((column) => {
    if (column.kind === 'standard') return column.field;
    if (column.kind === 'custom') return column.key;
    return `(${column.kind})`;
  });
}

describe('normaliseHeader', () => {
  test.each([
    ['Mobile No.', 'mobileno'],
    ['mobile_no', 'mobileno'],
    ['  MOBILE  NO ', 'mobileno'],
    ['\uFEFFCustomer Name', 'customername'],
    ['Customer\u200B Name\u00A0', 'customername'],
    ['नाम', 'नाम'],
    ['#', ''],
  ])('%j becomes %j', (header, normalised) => {
    expect(normaliseHeader(header)).toBe(normalised);
  });
});

describe('planColumns with aliases', () => {
  test.each([
    [
      ['customer_name', 'phone_number'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Name', 'Phone'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Customer Name', 'Mobile No.'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['FULL NAME', 'mobile number'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Lead Name', 'Contact No'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Client Name', 'WhatsApp Number'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Contact Name', 'Cell'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Customer', 'Telephone'],
      ['customer_name', 'phone_number'],
    ],
    [
      ['Name', 'Mobile', 'Registration Date', 'Event Date'],
      ['customer_name', 'phone_number', 'register_date', 'event_date'],
    ],
    [
      ['Name', 'Mobile', 'Reg. Date', 'Date of Event'],
      ['customer_name', 'phone_number', 'register_date', 'event_date'],
    ],
    [
      ['Name', 'Mobile', 'Signup Date', 'Event Time'],
      ['customer_name', 'phone_number', 'register_date', 'event_date'],
    ],
  ])('%j is sent as %j', (header, keys) => {
    expect(keysOf(header)).toEqual(keys);
  });

  const everyAlias = Object.entries(FIELD_ALIASES).flatMap(([field, aliases]) =>
    aliases.map((alias) => [alias, field] as const),
  );
  test.each(everyAlias)('the alias %j is read as %s', (alias, field) => {
    const header =
      field === 'customer_name'
        ? [alias, 'Mobile']
        : field === 'phone_number'
          ? ['Name', alias]
          : ['Name', 'Mobile', alias];

    expect(keysOf(header)).toContain(field);
  });

  test('C01: a BOM before the first header does not hide the name column', () => {
    const plan = planColumns(['\uFEFFCustomer Name', 'Mobile No.', 'city']);

    expect(plan.columns).toEqual([
      {
        kind: 'standard',
        index: 0,
        header: 'Customer Name',
        field: 'customer_name',
      },
      {
        kind: 'standard',
        index: 1,
        header: 'Mobile No.',
        field: 'phone_number',
      },
      { kind: 'custom', index: 2, header: 'city', key: 'city' },
    ]);
  });

  test('custom keys keep their text, trimmed of spaces and invisible characters only', () => {
    expect(
      keysOf([
        'Name',
        'Phone',
        ' Lead Source\u00A0',
        '\u200BBudget (₹)',
        'नाम',
      ]),
    ).toEqual([
      'customer_name',
      'phone_number',
      'Lead Source',
      'Budget (₹)',
      'नाम',
    ]);
  });

  test('empty headers and rejects-file columns are not sent', () => {
    const plan = planColumns([
      'astradial_line',
      'astradial_reason',
      'astradial_detail',
      'Name',
      '',
      'Phone',
      ' \u00A0',
    ]);

    expect(plan.columns.map((column) => column.kind)).toEqual([
      'rejects-file',
      'rejects-file',
      'rejects-file',
      'standard',
      'unnamed',
      'standard',
      'unnamed',
    ]);
    expect(plan.rejectsFileColumns).toEqual([
      'astradial_line',
      'astradial_reason',
      'astradial_detail',
    ]);
  });

  test('a file without rejects-file columns reports none', () => {
    expect(planColumns(['Name', 'Phone']).rejectsFileColumns).toEqual([]);
  });
});

describe('planColumns with --map', () => {
  test('maps a standard field to a header, matched loosely', () => {
    expect(
      keysOf(['Client', 'Primary Contact', 'city'], {
        map: { customer_name: 'client', phone_number: 'primary contact' },
      }),
    ).toEqual(['customer_name', 'phone_number', 'city']);
  });

  test('a column that loses its field to --map is sent as a custom field', () => {
    expect(
      keysOf(['Name', 'Phone', 'Mobile'], { map: { phone_number: 'Mobile' } }),
    ).toEqual(['customer_name', 'Phone', 'phone_number']);
  });

  test('renames a custom column', () => {
    expect(
      keysOf(['Name', 'Phone', 'Town'], { map: { city: 'Town' } }),
    ).toEqual(['customer_name', 'phone_number', 'city']);
  });

  test('names a column by position, which resolves duplicate headers', () => {
    expect(
      keysOf(['Name', 'Mobile', 'city', 'Mobile'], {
        map: { alternate_mobile: '#4' },
      }),
    ).toEqual(['customer_name', 'phone_number', 'city', 'alternate_mobile']);
  });

  test('when --map names a header that is not there then it lists the headers found', () => {
    const error = planError(['Name', 'Mobile No.', 'city'], {
      map: { phone_number: 'Cell Phone' },
    });

    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('input.missingColumn');
    expect(error.message).toBe(
      '--map phone_number=Cell Phone names no column in this file. The header has: "Name", "Mobile No.", "city".',
    );
  });

  test('when --map names a position past the last column then it says so', () => {
    const error = planError(['Name', 'Mobile'], {
      map: { phone_number: '#3' },
    });

    expect(error.code).toBe('input.missingColumn');
    expect(error.message).toContain(
      'names column 3, but the header has 2 columns',
    );
  });

  test('when --map names a duplicated header then it asks for a position', () => {
    const error = planError(['Name', 'Mobile', 'Mobile'], {
      map: { phone_number: 'Mobile' },
    });

    expect(error.code).toBe('input.ambiguousColumn');
    expect(error.message).toBe(
      '--map phone_number=Mobile matches columns 2 and 3. Name one by its position instead, such as phone_number=#2.',
    );
  });

  test('when --map sends one column as two fields then it refuses', () => {
    const error = planError(['Name', 'Mobile'], {
      map: { phone_number: 'Mobile', alternate: '#2' },
    });

    expect(error.code).toBe('config.invalidMap');
    expect(error.message).toContain(
      '"Mobile" (column 2) as both phone_number and alternate',
    );
  });

  test('when two columns would be sent under one key then it refuses', () => {
    const error = planError(['Name', 'Phone', 'Town', 'city'], {
      map: { city: 'Town' },
    });

    expect(error.code).toBe('input.duplicateField');
    expect(error.message).toBe(
      'Columns 3 "Town" and 4 "city" would both be sent as "city". Rename one of them or change --map.',
    );
  });
});

describe('planColumns refuses a header it cannot send safely', () => {
  test('C02: a duplicated header names it and both positions', () => {
    const error = planError(['Name', 'Mobile', 'city', 'Mobile']);

    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('input.duplicateHeader');
    expect(error.message).toBe(
      'The header has "Mobile" more than once, in columns 2 and 4. Rename the columns so each header is different, or use --map to send one of them under another name, naming the column by its position (for example "Mobile 2=#4").',
    );
  });

  test('C02 variant: Mobile and "mobile " are duplicates too', () => {
    const error = planError(['Name', 'Mobile', 'city', 'mobile ']);

    expect(error.code).toBe('input.duplicateHeader');
    expect(error.message).toMatch(
      /^"Mobile" \(column 2\) and "mobile" \(column 4\) are the same header, as case, spaces and punctuation are ignored\. .*--map/,
    );
  });

  test('duplicated custom headers are refused as well', () => {
    const error = planError(['Name', 'Phone', 'Notes', 'notes.']);

    expect(error.code).toBe('input.duplicateHeader');
    expect(error.message).toContain('(column 3) and "notes." (column 4)');
  });

  test('two headers that both alias customer_name are ambiguous', () => {
    const error = planError(['Name', 'Customer Name', 'Phone']);

    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('input.ambiguousColumn');
    expect(error.message).toBe(
      '"Name" (column 1) and "Customer Name" (column 2) could each be customer_name. Choose one with --map, such as customer_name="Name"; the other is then sent as a custom field.',
    );
  });

  test('an ambiguous field is settled by --map', () => {
    expect(
      keysOf(['Name', 'Customer Name', 'Phone'], {
        map: { customer_name: 'Customer Name' },
      }),
    ).toEqual(['Name', 'customer_name', 'phone_number']);
  });

  test('no phone column lists the headers found and suggests --map', () => {
    const error = planError(['Name', 'city', '']);

    expect(error.code).toBe('input.missingColumn');
    expect(error.message).toBe(
      'No column for phone_number. The header has: "Name", "city", (column 3, no header). Rename the column (for example to Mobile) or pass --map, such as phone_number="<header>".',
    );
  });

  test('no name and no phone column are reported together', () => {
    const error = planError(['city', 'notes']);

    expect(error.code).toBe('input.missingColumn');
    expect(error.message).toMatch(
      /^No column for customer_name or phone_number\./,
    );
  });
});
