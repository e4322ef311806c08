import { UsageError } from '../errors.js';

/**
 * The only delimiters detection may choose, in order of preference when two
 * fit equally well. csv-parse's own `delimiter_auto` once picked the letter
 * `n` on a two-line file, so detection never looks beyond this list.
 */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

const DELIMITER_NAMES: Readonly<Record<string, string>> = {
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
};

/**
 * Checks a delimiter given by the user. Any single character works except
 * the quote and line ends, which would make every file ambiguous.
 */
export function parseCsvDelimiter(text: string): string {
  const delimiter = DELIMITER_NAMES[text.toLowerCase()] ?? text;
  const isUsable =
    [...delimiter].length === 1 &&
    delimiter !== '"' &&
    delimiter !== '\r' &&
    delimiter !== '\n';
  if (isUsable) return delimiter;

  throw new UsageError(
    'input.delimiterInvalid',
    `Delimiter ${JSON.stringify(text)} cannot be used: it must be one character other than a quote or a line end. Use , ; | or tab, or leave it out to detect it.`,
  );
}
