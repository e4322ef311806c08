/** Flags a resume must not repeat: a restart would discard the journal. */
const DROPPED_FLAGS = new Set(['--restart']);
/** Flags whose value is secret: shown as a placeholder, never as typed. */
const SECRET_FLAGS = new Set(['--secret']);
const SECRET_PLACEHOLDER = '<secret>';

/**
 * The command that resumes this run, built from the arguments it was
 * started with: the same file, target and options, without `--restart`,
 * and with a `--secret` value replaced by a placeholder so the secret
 * never reaches the terminal's scrollback or a CI log.
 */
export function resumeCommand(argv: readonly string[]): string {
  const words = ['astradial'];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const name = argument.split('=', 1)[0]!;
    if (DROPPED_FLAGS.has(name)) continue;
    if (SECRET_FLAGS.has(name)) {
      words.push(`${name}=${SECRET_PLACEHOLDER}`);
      if (!argument.includes('=')) index += 1;
      continue;
    }
    words.push(quoteForShell(argument));
  }
  return words.join(' ');
}

/** Leaves plain words alone and single-quotes the rest, POSIX style. */
export function quoteForShell(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
