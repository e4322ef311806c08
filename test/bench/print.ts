/** Benchmark results are the bench's data: they go to stdout. */
export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Marks a missed target, so it stands out in a long output. */
export function missed(isMet: boolean): string {
  return isMet ? '' : '  <- MISSED';
}
