/** What stands in for the secret wherever it would be shown or stored. */
export const MASK = '********';

/** Finds the secret inside any text listen shows or stores. */
export interface SecretMask {
  /** The text with every occurrence of the secret replaced by MASK. */
  hide(text: string): string;
  isFoundIn(text: string): boolean;
}

/**
 * A mask for `secret` (visible ASCII, as src/secret.ts ensures). In a URL
 * each character may also come percent-encoded, in either letter case, and
 * a space as `+`: all those spellings of the secret are found too.
 */
export function createSecretMask(secret: string): SecretMask {
  const pattern = new RegExp([...secret].map(spellingsOf).join(''), 'g');
  return {
    hide: (text) => text.replace(pattern, MASK),
    // search() ignores and keeps the global pattern's lastIndex.
    isFoundIn: (text) => text.search(pattern) !== -1,
  };
}

function spellingsOf(character: string): string {
  const hex = character.charCodeAt(0).toString(16).padStart(2, '0');
  const encoded = `%${[...hex].map(eitherCase).join('')}`;
  const literal = character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const plus = character === ' ' ? '|\\+' : '';
  return `(?:${literal}|${encoded}${plus})`;
}

function eitherCase(digit: string): string {
  return /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit;
}
