/** What stands in for the secret wherever it would be shown or stored. */
export const MASK = '********';

/** Finds the secret inside any text listen shows or stores. */
export interface SecretMask {
  /** The text with every occurrence of the secret replaced by MASK. */
  hide(text: string): string;
  isFoundIn(text: string): boolean;
}

/**
 * A mask for `secret` (visible ASCII, as src/secret.ts ensures). Each
 * character may come spelled as text carrying it would spell it: in a URL
 * percent-encoded in either letter case (a space also as `+`); in JSON as
 * an escape (`\"`, `\\`, `\/`, `\u0041`), as an app that echoes its
 * request headers as JSON writes them; in HTML as an entity (`&amp;`,
 * `&#38;`, `&#x26;`). All those spellings of the secret are found too.
 */
export function createSecretMask(secret: string): SecretMask {
  const pattern = new RegExp([...secret].map(spellingsOf).join(''), 'g');
  return {
    hide: (text) => text.replace(pattern, MASK),
    // search() ignores and keeps the global pattern's lastIndex.
    isFoundIn: (text) => text.search(pattern) !== -1,
  };
}

const HTML_NAMES: Record<string, string> = {
  '&': 'amp',
  '<': 'lt',
  '>': 'gt',
  '"': 'quot',
  "'": 'apos',
};

function spellingsOf(character: string): string {
  const code = character.charCodeAt(0);
  const hex = code.toString(16).padStart(2, '0');
  const percent = `%${[...hex].map(eitherCase).join('')}`;
  const jsonUnicode = `\\\\u${[...hex.padStart(4, '0')].map(eitherCase).join('')}`;
  const htmlNumeric = `&#(?:0*${code}|[xX]0*${[...hex].map(eitherCase).join('')});`;
  const spellings = [
    escapeForPattern(character),
    percent,
    jsonUnicode,
    htmlNumeric,
  ];
  if ('"\\/'.includes(character)) {
    spellings.push(`\\\\${escapeForPattern(character)}`);
  }
  if (HTML_NAMES[character]) spellings.push(`&${HTML_NAMES[character]};`);
  if (character === ' ') spellings.push('\\+');
  return `(?:${spellings.join('|')})`;
}

function escapeForPattern(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function eitherCase(digit: string): string {
  return /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
}
