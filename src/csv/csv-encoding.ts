import { UsageError } from '../errors.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const CSV_ENCODINGS: readonly CsvEncoding[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
];

/** Names people type for the same encodings, as Node and iconv spell them. */
const ENCODING_ALIASES: Readonly<Record<string, CsvEncoding>> = {
  utf8: 'utf-8',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  cp1252: 'windows-1252',
  windows1252: 'windows-1252',
};

/**
 * Checks an encoding that arrived as text (a flag, a config value) and
 * returns its canonical name.
 */
export function parseCsvEncoding(text: string): CsvEncoding {
  const name = text.trim().toLowerCase();
  const encoding =
    ENCODING_ALIASES[name] ?? CSV_ENCODINGS.find((known) => known === name);
  if (encoding) return encoding;

  throw new UsageError(
    'input.encodingInvalid',
    `Encoding "${text}" is not supported. Use one of: ${CSV_ENCODINGS.join(', ')}, or leave it out to detect it.`,
  );
}
