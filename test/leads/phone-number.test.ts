import { describe, expect, test } from 'vitest';

import { normalisePhone } from '../../src/leads/phone-number.js';

describe('normalisePhone accepts the shapes spreadsheets write', () => {
  test.each([
    ['98765 43210', '+919876543210'],
    ['9876543210', '+919876543210'],
    ['098765-43210', '+919876543210'],
    ['09876543210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['91 98765 43210', '+919876543210'],
    ['0091 98765 43210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91 98765-43210', '+919876543210'],
    ['+91-9876543210', '+919876543210'],
    ['="9876543210"', '+919876543210'],
    ["'9876543210", '+919876543210'],
    ['919876543210.0', '+919876543210'],
    ['9876543210.00', '+919876543210'],
    ['98765\u00A043210', '+919876543210'],
    ['9876\u200B543210', '+919876543210'],
    ['\uFEFF+91 98765 43210 ', '+919876543210'],
    ['(0)98765 43210', '+919876543210'],
    ['+91 (0)98765 43210', '+919876543210'],
    ['98765.43210', '+919876543210'],
    ['9876543210,', '+919876543210'],
    // Copied from web pages and word processors (alphagov/notifications-utils
    // PR #1222, confusedbuffalo/phone-report#80): typographic dashes and
    // spaces, and the full-width forms of East Asian keyboards.
    ['98765\u201143210', '+919876543210'],
    ['98765\u201343210', '+919876543210'],
    ['98765\u221243210', '+919876543210'],
    ['98765\u200943210', '+919876543210'],
    ['98765\u200A43210', '+919876543210'],
    ['\uFF0B91 98765 43210', '+919876543210'],
    [
      '\uFF19\uFF18\uFF17\uFF16\uFF15\uFF14\uFF13\uFF12\uFF11\uFF10',
      '+919876543210',
    ],
    ['\uFF080\uFF0998765 43210', '+919876543210'],
    // C01 and C03.
    ['9000012301', '+919000012301'],
    ['+91 90000 12302', '+919000012302'],
    ['09000012303', '+919000012303'],
    ['919000012321', '+919000012321'],
    ['919000012323', '+919000012323'],
    // An explicit country code wins over the default country.
    ['+1 202 555 0123', '+12025550123'],
    ['+44 20 7946 0958', '+442079460958'],
    // Landlines and toll-free numbers are valid numbers too.
    ['022 2345 6789', '+912223456789'],
    // Valid with max metadata as an Indian fixed line (area code 12), so it
    // is sent; the tool does not second-guess numbers that look made up.
    ['1234567890', '+911234567890'],
  ])('%j becomes %s', (cell, e164) => {
    expect(normalisePhone(cell, 'IN')).toEqual({ ok: true, e164 });
  });

  test('numbers without a country code are read in the default country', () => {
    expect(normalisePhone('(202) 555-0123', 'US')).toEqual({
      ok: true,
      e164: '+12025550123',
    });
  });
});

describe('normalisePhone refuses what it would have to guess', () => {
  test.each([
    ['', 'phone_missing', 'phone_number is empty'],
    [' \u00A0\u200B', 'phone_missing', 'phone_number is empty'],
    [
      '9.19E+11',
      'phone_scientific_notation',
      '"9.19E+11" is in scientific notation: Excel dropped the last digits when it saved the file. Format the column as Text and export again.',
    ],
    [
      '9.19877E+11',
      'phone_scientific_notation',
      '"9.19877E+11" is in scientific notation: Excel dropped the last digits when it saved the file. Format the column as Text and export again.',
    ],
    [
      '98765 43210 / 98765 43211',
      'phone_multiple_numbers',
      '"98765 43210 / 98765 43211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      '9876543210, 9876543211',
      'phone_multiple_numbers',
      '"9876543210, 9876543211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      '9876543210 9876543211',
      'phone_multiple_numbers',
      '"9876543210 9876543211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      '+91 98765 43210 +91 98765 43211',
      'phone_multiple_numbers',
      '"+91 98765 43210 +91 98765 43211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      '9876543210 or 9876543211',
      'phone_multiple_numbers',
      '"9876543210 or 9876543211" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.',
    ],
    [
      '5555555555',
      'phone_invalid',
      '"5555555555" is not a valid phone number (it has no country code, so it was read as IN).',
    ],
    [
      '12345',
      'phone_invalid',
      '"12345" is too short for a phone number (it has no country code, so it was read as IN).',
    ],
    [
      '+999 1234',
      'phone_invalid',
      '"+999 1234" starts with a country code that does not exist.',
    ],
    [
      '98765432109876543210',
      'phone_invalid',
      '"98765432109876543210" is too long for one phone number.',
    ],
    [
      '98765 43210 / 11',
      'phone_invalid',
      '"98765 43210 / 11" is not one phone number.',
    ],
    [
      '98765+43210',
      'phone_invalid',
      '"98765+43210" has a "+" that is not at the start.',
    ],
    [
      '9876543210 ext 12',
      'phone_invalid',
      '"9876543210 ext 12" has characters that are not part of a number.',
    ],
    [
      'call after 6',
      'phone_invalid',
      '"call after 6" has characters that are not part of a number.',
    ],
  ])('%j is refused as %s', (cell, reason, detail) => {
    expect(normalisePhone(cell, 'IN')).toEqual({ ok: false, reason, detail });
  });
});
