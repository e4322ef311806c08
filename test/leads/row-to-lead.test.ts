import { describe, expect, test } from 'vitest';

import { planColumns } from '../../src/leads/header-mapping.js';
import {
  createRowConverter,
  REJECT_REASON_TEXT,
  type RowConverter,
} from '../../src/leads/row-to-lead.js';

function converterFor(header: string[], dateFormat?: string): RowConverter {
  return createRowConverter({
    plan: planColumns(header),
    defaultCountry: 'IN',
    timezone: 'Asia/Kolkata',
    dateFormat,
  });
}

describe('createRowConverter on the cases', () => {
  test('C01: Excel headers behind a BOM give exactly the right bodies', () => {
    const convert = converterFor(['\uFEFFCustomer Name', 'Mobile No.', 'city']);
    const rows = [
      ['Asha Test', '9000012301', 'Pune'],
      ['Ravi Sample', '+91 90000 12302', 'Nagpur'],
      ['Meera Demo', '09000012303', 'Indore'],
    ];

    expect(rows.map((cells) => JSON.stringify(convert(cells)))).toEqual([
      '{"ok":true,"lead":{"customer_name":"Asha Test","phone_number":"+919000012301","city":"Pune"}}',
      '{"ok":true,"lead":{"customer_name":"Ravi Sample","phone_number":"+919000012302","city":"Nagpur"}}',
      '{"ok":true,"lead":{"customer_name":"Meera Demo","phone_number":"+919000012303","city":"Indore"}}',
    ]);
  });

  test('C03: a phone in scientific notation is refused, the others are sent', () => {
    const convert = converterFor(['customer_name', 'phone_number', 'city']);

    expect(convert(['Asha Test', '919000012321', 'Pune'])).toEqual({
      ok: true,
      lead: {
        customer_name: 'Asha Test',
        phone_number: '+919000012321',
        city: 'Pune',
      },
    });
    expect(convert(['Ravi Sample', '9.19E+11', 'Nagpur'])).toEqual({
      ok: false,
      reason: 'phone_scientific_notation',
      detail:
        '"9.19E+11" is in scientific notation: Excel dropped the last digits when it saved the file. Format the column as Text and export again.',
    });
    expect(convert(['Meera Demo', '919000012323', 'Indore'])).toMatchObject({
      ok: true,
      lead: { phone_number: '+919000012323' },
    });
  });

  test('C08: a row with an extra cell is refused with both counts', () => {
    const convert = converterFor(['customer_name', 'phone_number', 'city']);

    expect(
      convert(['Ravi Sample', '9000012382', 'Flat 4', ' MG Road', 'Nagpur']),
    ).toEqual({
      ok: false,
      reason: 'column_count',
      detail: '5 cells, header has 3',
    });
    expect(convert(['Asha Test', '9000012381'])).toEqual({
      ok: false,
      reason: 'column_count',
      detail: '2 cells, header has 3',
    });
  });

  test('C10: impossible dates are refused, never rolled over', () => {
    const convert = converterFor([
      'customer_name',
      'phone_number',
      'register_date',
      'event_date',
    ]);

    expect(
      convert(['Asha Test', '9000012401', '29/02/2028', '15/03/2026 10:30']),
    ).toEqual({
      ok: true,
      lead: {
        customer_name: 'Asha Test',
        phone_number: '+919000012401',
        event_date: '2026-03-15T10:30:00+05:30',
        register_date: '2028-02-29T00:00:00+05:30',
      },
    });
    expect(
      [
        ['Ravi Sample', '9000012402', '31/02/2026', '15/03/2026'],
        ['Meera Demo', '9000012403', '29/02/2026', '16/03/2026'],
        ['Kiran Example', '9000012404', '31/04/2026', ''],
      ].map((cells) => convert(cells)),
    ).toEqual([
      {
        ok: false,
        reason: 'date_invalid',
        detail:
          'register_date: "31/02/2026" is not a real date: February 2026 has 28 days',
      },
      {
        ok: false,
        reason: 'date_invalid',
        detail:
          'register_date: "29/02/2026" is not a real date: February 2026 has 28 days',
      },
      {
        ok: false,
        reason: 'date_invalid',
        detail:
          'register_date: "31/04/2026" is not a real date: April 2026 has 30 days',
      },
    ]);
  });
});

describe('createRowConverter builds the lead', () => {
  test('keys come in order: name, phone, event_date, register_date, custom', () => {
    const convert = converterFor([
      'city',
      'Registered On',
      'Mobile',
      'Event Date',
      'Name',
      'notes',
    ]);
    const result = convert([
      'Pune',
      '2026-03-10 09:00',
      '9876543210',
      '2026-03-15T10:30',
      'John Doe',
      'call back',
    ]);

    expect(result.ok && Object.keys(result.lead)).toEqual([
      'customer_name',
      'phone_number',
      'event_date',
      'register_date',
      'city',
      'notes',
    ]);
  });

  test('custom fields go out byte for byte; blank ones are left out', () => {
    const convert = converterFor([
      'Name',
      'Phone',
      'pin',
      'budget',
      'note',
      'empty',
    ]);
    const result = convert([
      'Asha',
      '9876543210',
      '09876',
      '1,00,000',
      '  two spaces  ',
      ' \u00A0\u200B',
    ]);

    expect(result).toEqual({
      ok: true,
      lead: {
        customer_name: 'Asha',
        phone_number: '+919876543210',
        pin: '09876',
        budget: '1,00,000',
        note: '  two spaces  ',
      },
    });
  });

  test('the name loses invisible characters and surrounding spaces', () => {
    const convert = converterFor(['Name', 'Phone']);

    expect(convert(['\uFEFF Asha\u00A0Test\u200B ', '9876543210'])).toEqual({
      ok: true,
      lead: { customer_name: 'Asha Test', phone_number: '+919876543210' },
    });
  });

  test('blank dates are left out, not refused', () => {
    const convert = converterFor([
      'Name',
      'Phone',
      'Event Date',
      'Register Date',
    ]);

    expect(convert(['Asha', '9876543210', '', ' '])).toEqual({
      ok: true,
      lead: { customer_name: 'Asha', phone_number: '+919876543210' },
    });
  });

  test('a dateFormat applies to both date columns', () => {
    const convert = converterFor(
      ['Name', 'Phone', 'Event Date', 'Register Date'],
      'MM/DD/YYYY',
    );

    expect(
      convert(['Asha', '9876543210', '03/15/2026 10:30', '3/1/2026']),
    ).toEqual({
      ok: true,
      lead: {
        customer_name: 'Asha',
        phone_number: '+919876543210',
        event_date: '2026-03-15T10:30:00+05:30',
        register_date: '2026-03-01T00:00:00+05:30',
      },
    });
  });

  test('rejects-file columns are not sent', () => {
    const convert = converterFor([
      'astradial_line',
      'astradial_reason',
      'astradial_detail',
      'Name',
      'Phone',
    ]);

    expect(
      convert(['3', 'phone_invalid', 'fixed', 'Asha', '9876543210']),
    ).toEqual({
      ok: true,
      lead: { customer_name: 'Asha', phone_number: '+919876543210' },
    });
  });

  test('a header named __proto__ is sent like any other', () => {
    const convert = converterFor(['Name', 'Phone', '__proto__']);
    const result = convert(['Asha', '9876543210', 'x']);

    expect(result.ok && JSON.stringify(result.lead)).toBe(
      '{"customer_name":"Asha","phone_number":"+919876543210","__proto__":"x"}',
    );
  });
});

describe('createRowConverter refuses rows', () => {
  const convert = converterFor(['Name', 'Phone', '', 'Event Date']);

  test.each([
    [['', '9876543210', '', ''], 'name_missing', 'customer_name is empty'],
    [
      ['\u200B ', '9876543210', '', ''],
      'name_missing',
      'customer_name is empty',
    ],
    [['Asha', '', '', ''], 'phone_missing', 'phone_number is empty'],
    [
      ['Asha', '5555555555', '', ''],
      'phone_invalid',
      '"5555555555" is not a valid phone number (it has no country code, so it was read as IN).',
    ],
    [
      ['Asha', '9876543210, 9876543211', '', ''],
      'phone_multiple_numbers',
      '"9876543210, 9876543211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      ['Asha', '9876543210', 'lost?', ''],
      'unnamed_column_value',
      'column 3 has no header but holds "lost?"; add a header or clear the cell',
    ],
    [
      ['Asha', '9876543210', '', 'next week'],
      'date_invalid',
      'event_date: "next week" is not a date in a layout astradial reads: DD/MM/YYYY or YYYY-MM-DD, each with an optional time such as 10:30, or an Excel serial number',
    ],
  ])('%j is refused as %s', (cells, reason, detail) => {
    expect(convert(cells)).toEqual({ ok: false, reason, detail });
  });

  test('every problem of a row is listed; the first gives the reason', () => {
    expect(convert(['', '12345', 'x', '31/02/2026'])).toEqual({
      ok: false,
      reason: 'name_missing',
      detail:
        'customer_name is empty; "12345" is too short for a phone number (it has no country code, so it was read as IN); event_date: "31/02/2026" is not a real date: February 2026 has 28 days; column 3 has no header but holds "x"; add a header or clear the cell',
    });
  });
});

describe('createRowConverter settings', () => {
  const plan = planColumns(['Name', 'Phone']);

  test('an unknown country is a usage error', () => {
    expect(() =>
      createRowConverter({
        plan,
        // @ts-expect-error: a country the types reject, as from a config file.
        defaultCountry: 'XX',
        timezone: 'Asia/Kolkata',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'config.invalidCountry',
        exitCode: 2,
        message:
          'Unknown country "XX". Use a two-letter ISO code such as IN, US or GB.',
      }),
    );
  });

  test('an unknown time zone is a usage error', () => {
    expect(() =>
      createRowConverter({ plan, defaultCountry: 'IN', timezone: 'India' }),
    ).toThrow(expect.objectContaining({ code: 'config.invalidTimezone' }));
  });
});

test('REJECT_REASON_TEXT has a short label for every reason', () => {
  expect(Object.keys(REJECT_REASON_TEXT).sort()).toEqual([
    'column_count',
    'date_invalid',
    'name_missing',
    'phone_invalid',
    'phone_missing',
    'phone_multiple_numbers',
    'phone_scientific_notation',
    'unnamed_column_value',
  ]);
});
