// The baseline verify is measured against: read a file and JSON.parse each
// line, with nothing checked. Prints the number of lines parsed.
import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

async function parseLines(file: string): Promise<number> {
  let count = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    let end = buffer.indexOf(NEWLINE, start);
    while (end !== -1) {
      if (end > start) {
        JSON.parse(buffer.toString('utf8', start, end));
        count += 1;
      }
      start = end + 1;
      end = buffer.indexOf(NEWLINE, start);
    }
    rest = buffer.subarray(start);
  }
  return count;
}

process.stdout.write(`${await parseLines(process.argv[2]!)}\n`);
