const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Writes control characters (line breaks, escape sequences and the rest of
 * C0 and C1, and the bidirectional overrides that make text read in
 * another order than it is stored) as visible `\u001b`-style escapes, so
 * text from a request cannot move the cursor, recolour or clear a
 * terminal, forge a line, or disguise what it says.
 */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROL_CHARACTER,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
