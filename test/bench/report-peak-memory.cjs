// Preloaded into a benchmarked child process with --require: at exit it
// writes the process's peak resident memory, in bytes, to the file named by
// ASTRADIAL_BENCH_PEAK_FILE. Kept outside the product so the CLI carries no
// benchmark code.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.ASTRADIAL_BENCH_PEAK_FILE;
  if (!file) return;
  const peakBytes = process.resourceUsage().maxRSS * 1024;
  writeFileSync(file, String(peakBytes));
});
