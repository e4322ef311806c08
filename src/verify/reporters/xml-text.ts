/**
 * Characters XML 1.0 cannot hold even as a character reference: C0
 * controls other than tab, line feed and carriage return; lone surrogates;
 * U+FFFE and U+FFFF. The pattern works on UTF-16 code units (no `u` flag)
 * so that it can see a surrogate without its partner.
 */
const FORBIDDEN_CHARACTER =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const TEXT_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a raw carriage return into a line feed.
  '\r': '&#13;',
};

const ATTRIBUTE_ENTITIES: Record<string, string> = {
  ...TEXT_ENTITIES,
  // A parser turns raw whitespace in an attribute into spaces.
  '\t': '&#9;',
  '\n': '&#10;',
};

/**
 * Writes the characters XML cannot hold as `\u001b`-style text, so a stray byte
 * in a payload shows up in the report instead of making it unreadable.
 */
export function replaceForbiddenXmlCharacters(text: string): string {
  return text.replace(
    FORBIDDEN_CHARACTER,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Text safe between tags. */
export function escapeXmlText(text: string): string {
  return replaceForbiddenXmlCharacters(text).replace(
    /[&<>"'\r]/g,
    (character) => TEXT_ENTITIES[character] ?? character,
  );
}

/** Text safe inside a double-quoted attribute, line breaks kept. */
export function escapeXmlAttribute(text: string): string {
  return replaceForbiddenXmlCharacters(text).replace(
    /[&<>"'\r\n\t]/g,
    (character) => ATTRIBUTE_ENTITIES[character] ?? character,
  );
}

/** ` name="value" other="value"`, each value escaped. */
export function formatXmlAttributes(
  attributes: Record<string, string | number>,
): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(`${value}`)}"`)
    .join('');
}
