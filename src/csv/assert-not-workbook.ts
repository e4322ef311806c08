import { UsageError } from '../errors.js';

// prettier-ignore
const WORKBOOK_SIGNATURES = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], format: 'an Excel workbook (.xlsx) or another ZIP file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], format: 'an old Excel workbook (.xls)' },
];

/**
 * Passing the workbook instead of its CSV export is a common slip. Its bytes
 * are not valid UTF-8, so without this check they would be read as a
 * Windows-1252 CSV with one garbled column.
 */
export function assertNotWorkbook(head: Buffer, sourceName: string): void {
  const match = WORKBOOK_SIGNATURES.find(({ bytes }) =>
    bytes.every((byte, index) => head[index] === byte),
  );
  if (!match) return;

  throw new UsageError(
    'input.notCsv',
    `${sourceName} is ${match.format}, not a CSV file. In Excel, choose File > Save As > "CSV UTF-8 (Comma delimited)" and pass that file instead.`,
  );
}
