const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Writes control characters (line breaks, escape sequences and the rest of
 * C0 and C1) as visible `\u001b`-style escapes, so text from a request
 * cannot move the cursor, recolour or clear a terminal, or forge a line.
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROL_CHARACTER,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
