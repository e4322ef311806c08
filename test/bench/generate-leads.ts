import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

const FIRST_NAMES = [
  'Asha',
  'Ravi',
  'Meera',
  'Kiran',
  'Neha',
  'Arjun',
  'Priya',
  'Imran',
  'Lakshmi',
  'Vikram',
];
const LAST_NAMES = [
  'Sharma',
  'Iyer',
  'Patel',
  'Reddy',
  'Khan',
  'Nair',
  'Das',
  'Mehta',
  'Joshi',
  'Rao',
];
const CITIES = [
  'Mumbai',
  'Pune',
  'Bengaluru',
  'Chennai',
  'Kolkata',
  'Delhi',
  'Jaipur',
  'Kochi',
];

/** Phone shapes seen in real exports, all valid Indian mobile numbers. */
function phoneCell(index: number): string {
  const digits = `9${String(100_000_000 + ((index * 7919) % 899_999_999)).padStart(9, '0')}`;
  switch (index % 5) {
    case 0:
      return digits;
    case 1:
      return `${digits.slice(0, 5)} ${digits.slice(5)}`;
    case 2:
      return `+91 ${digits.slice(0, 5)} ${digits.slice(5)}`;
    case 3:
      return `0${digits}`;
    default:
      return `91${digits}`;
  }
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * Writes a lead CSV shaped like the fixture (BOM, CRLF, day-first dates,
 * custom columns) with `rows` data rows, every one of them valid.
 */
export async function generateLeads(path: string, rows: number): Promise<void> {
  const stream = createWriteStream(path);
  stream.write(
    '\uFEFFCustomer Name,Mobile No.,City,Registration Date,Event Date,Lead Source,Budget\r\n',
  );
  let chunk = '';
  for (let index = 0; index < rows; index += 1) {
    const day = twoDigits((index % 28) + 1);
    const month = twoDigits((index % 12) + 1);
    const hour = twoDigits(9 + (index % 9));
    chunk +=
      `${FIRST_NAMES[index % 10]} ${LAST_NAMES[(index >> 3) % 10]},${phoneCell(index)},` +
      `${CITIES[index % 8]},${day}/${month}/2025,${day}/${month}/2026 ${hour}:30,` +
      `Website,"${(index % 90) + 10},00,000"\r\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await once(stream, 'finish');
}

/**
 * The path of a lead file with `rows` rows in `directory`, generated on
 * first use: sections of one run share it. Pushing never changes the file,
 * so sharing it is safe as long as each push keeps its journal elsewhere.
 */
export async function leadsFile(
  directory: string,
  rows: number,
): Promise<string> {
  const file = path.join(directory, `leads-${rows}.csv`);
  const existing = await stat(file).catch(() => undefined);
  if (!existing) await generateLeads(file, rows);
  return file;
}
