import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The size and SHA-256 of a file's content, read as a stream so a large
 * input costs one chunk of memory. A resumed push compares them with the
 * journal's header to make sure line numbers still mean the same rows.
 */
export async function fingerprintFile(
  path: string,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
  }
  return { size, sha256: hash.digest('hex') };
}
