import {
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';

import { cleanVisibleText } from '../text/invisible.js';

export type PhoneRejectReason =
  | 'phone_missing'
  | 'phone_invalid'
  | 'phone_scientific_notation'
  | 'phone_multiple_numbers';

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; reason: PhoneRejectReason; detail: string };

// `9.19E+11`: Excel wrote the number as it displays it and the digits are
// gone. Nothing can bring them back, so these are never guessed at.
const SCIENTIFIC_PATTERN = /^[+-]?\d+(?:[.,]\d*)?e[+-]?\d+$/i;
// `919876543210.0`: a float artefact that only needs the `.0` removed.
const FLOAT_ARTEFACT_PATTERN = /^(\+?\d+)\.0+$/;
// `="9876543210"` is how Excel is told to keep a number as text.
const EXCEL_TEXT_PATTERN = /^="(.*)"$/;
const SEPARATOR_PATTERN = /[/,;|&\n]|\s(?:or|and)\s/i;
const PHONE_CHARACTERS_PATTERN = /^[+\d\s().-]+$/;
// What text copied from web pages and word processors writes for a dash,
// a space, a plus, a digit or a bracket: hyphens and dashes U+2010-2015,
// the minus sign, thin and other typographic spaces, and the full-width
// forms of East Asian keyboards. libphonenumber reads them all; the check
// above must not refuse them first.
const TYPOGRAPHIC_DASH_PATTERN = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const TYPOGRAPHIC_SPACE_PATTERN = /[\u2000-\u200A\u205F\u3000]/g;
const FULL_WIDTH_PATTERN = /[\uFF08\uFF09\uFF0B\uFF10-\uFF19]/g;
const NOT_ASCII_PATTERN = /[^\x00-\x7F]/;
/** Full-width forms are their ASCII character plus this. */
const FULL_WIDTH_OFFSET = 0xfee0;

// A part of a cell split at `/`, `,` and the like that has fewer digits
// than this is not a second number (`98765 43210 / 11` is just invalid).
const MIN_DIGITS_OF_SECOND_NUMBER = 6;
// E.164 allows 15 digits; an international prefix such as `00` adds two.
const MAX_DIGITS_OF_ONE_NUMBER = 17;

/** `98765‑43210` (a no-break hyphen) as `98765-43210`, and the like. */
function asciiPunctuation(text: string): string {
  // Nearly every cell is ASCII: one test instead of three replacements.
  if (!NOT_ASCII_PATTERN.test(text)) return text;
  return text
    .replace(TYPOGRAPHIC_DASH_PATTERN, '-')
    .replace(TYPOGRAPHIC_SPACE_PATTERN, ' ')
    .replace(FULL_WIDTH_PATTERN, (character) =>
      String.fromCharCode(character.charCodeAt(0) - FULL_WIDTH_OFFSET),
    );
}

/**
 * Turns a phone cell into E.164 (`+919876543210`) with libphonenumber-js's
 * full metadata, reading numbers without a country code as `defaultCountry`.
 * It takes away what spreadsheets add (no-break and zero-width characters,
 * `="..."`, a leading apostrophe, a trailing `.0`) but never guesses: a
 * number in scientific notation, two numbers in one cell, or one that is
 * not valid for its country is refused with a reason.
 */
export function normalisePhone(
  cell: string,
  defaultCountry: CountryCode,
): PhoneResult {
  const visible = cleanVisibleText(cell);
  let text = asciiPunctuation(unwrapSpreadsheetText(visible));
  if (text === '') {
    return reject('phone_missing', 'phone_number is empty');
  }
  if (SCIENTIFIC_PATTERN.test(text)) {
    return reject(
      'phone_scientific_notation',
      `"${visible}" is in scientific notation: Excel dropped the last digits when it saved the file. Format the column as Text and export again.`,
    );
  }

  const parts = text.split(SEPARATOR_PATTERN).filter(isNotBlank);
  if (parts.length > 1) return rejectSeveralParts(visible, parts);
  text = (parts[0] ?? '').trim().replace(FLOAT_ARTEFACT_PATTERN, '$1');

  if (!PHONE_CHARACTERS_PATTERN.test(text)) {
    return invalid(visible, 'has characters that are not part of a number');
  }
  // A `+` after the start can only begin a second number.
  const isTooLong = countDigits(text) > MAX_DIGITS_OF_ONE_NUMBER;
  const hasInnerPlus = text.lastIndexOf('+') > 0;
  if (isTooLong || hasInnerPlus) {
    if (holdsTwoNumbers(text, defaultCountry)) return multiple(visible);
    return isTooLong
      ? invalid(visible, 'is too long for one phone number')
      : invalid(visible, 'has a "+" that is not at the start');
  }

  const phone = parsePhoneNumberFromString(text, {
    defaultCountry,
    extract: false,
  });
  if (phone?.isValid()) return { ok: true, e164: phone.number };

  return invalid(visible, explainInvalid(text, defaultCountry));
}

function unwrapSpreadsheetText(text: string): string {
  const excelText = EXCEL_TEXT_PATTERN.exec(text);
  if (excelText) return (excelText[1] ?? '').trim();
  if (text.startsWith("'")) return text.slice(1).trim();

  return text;
}

function rejectSeveralParts(text: string, parts: string[]): PhoneResult {
  const isEachANumber = parts.every(
    (part) => countDigits(part) >= MIN_DIGITS_OF_SECOND_NUMBER,
  );

  return isEachANumber
    ? multiple(text)
    : invalid(text, 'is not one phone number');
}

/**
 * True when the cell splits at a space into two valid numbers, as in
 * `9876543210 9876543211`. Runs only for cells too long for one number.
 */
function holdsTwoNumbers(text: string, defaultCountry: CountryCode): boolean {
  const groups = text.split(/\s+/);

  for (let cut = 1; cut < groups.length; cut += 1) {
    const first = groups.slice(0, cut).join(' ');
    const second = groups.slice(cut).join(' ');
    const isEachValid =
      isValidNumber(first, defaultCountry) &&
      isValidNumber(second, defaultCountry);
    if (isEachValid) return true;
  }

  return false;
}

function isValidNumber(text: string, defaultCountry: CountryCode): boolean {
  const phone = parsePhoneNumberFromString(text, {
    defaultCountry,
    extract: false,
  });

  return phone?.isValid() ?? false;
}

function explainInvalid(text: string, defaultCountry: CountryCode): string {
  const hasCountryCode = text.startsWith('+') || text.startsWith('00');
  const countryNote = hasCountryCode
    ? ''
    : ` (it has no country code, so it was read as ${defaultCountry})`;

  switch (validatePhoneNumberLength(text, defaultCountry)) {
    case 'TOO_SHORT':
      return `is too short for a phone number${countryNote}`;
    case 'TOO_LONG':
      return `is too long for a phone number${countryNote}`;
    case 'INVALID_COUNTRY':
      return 'starts with a country code that does not exist';
    default:
      return `is not a valid phone number${countryNote}`;
  }
}

function countDigits(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) count += 1;
  }
  return count;
}

function isNotBlank(part: string): boolean {
  return part.trim() !== '';
}

function multiple(text: string): PhoneResult {
  return reject(
    'phone_multiple_numbers',
    `"${text}" holds more than one phone number. Keep one number in the cell and put the other in a column of its own.`,
  );
}

function invalid(text: string, problem: string): PhoneResult {
  return reject('phone_invalid', `"${text}" ${problem}.`);
}

function reject(reason: PhoneRejectReason, detail: string): PhoneResult {
  return { ok: false, reason, detail };
}
