import { createReadStream } from 'node:fs';

import { parse } from 'csv-parse';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * The work no dry run can skip: csv-parse reading the file, and
 * libphonenumber-js parsing and validating each phone cell (column 2).
 * The benchmark compares `astradial push --dry-run` against this.
 */
async function main(): Promise<void> {
  const path = process.argv[2]!;
  const parser = createReadStream(path).pipe(parse({ bom: true }));
  let valid = 0;
  let rows = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rows += 1;
    if (rows === 1) continue;
    const phone = parsePhoneNumberFromString(record[1]!, 'IN');
    if (phone?.isValid()) valid += 1;
  }
  process.stdout.write(JSON.stringify({ rows: rows - 1, valid }));
}

await main();
