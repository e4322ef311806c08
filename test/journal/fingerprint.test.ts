import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect, test } from 'vitest';

import { fingerprintFile } from '../../src/journal/fingerprint.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const makeTempDirectory = useTempDirectories();

test('size and sha256 match the content, across many chunks', async () => {
  const directory = await makeTempDirectory();
  const file = path.join(directory, 'leads.csv');
  const content = Buffer.from(
    'customer_name,phone_number\n' + 'Asha Test,9000012301\n'.repeat(50_000),
  );
  await writeFile(file, content);

  expect(await fingerprintFile(file)).toEqual({
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
  });
});

test('an empty file has the hash of nothing', async () => {
  const directory = await makeTempDirectory();
  const file = path.join(directory, 'empty.csv');
  await writeFile(file, '');

  expect(await fingerprintFile(file)).toEqual({
    size: 0,
    sha256: createHash('sha256').digest('hex'),
  });
});
