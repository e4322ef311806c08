/** How many characters of the app's answer the tail shows. */
export const BODY_START_CHARACTERS = 200;

/**
 * What became of one forward. `ok` is an answer below 400; `appError` an
 * answer of 400 or more; `failed` no answer at all (refused, reset, timed
 * out); `overQueueBound` and `notForwarded` were never sent.
 */
export type ForwardOutcome =
  | {
      outcome: 'ok' | 'appError';
      status: number;
      latencyMs: number;
      /** The answer's first characters on one line, the secret masked. */
      bodyStart: string;
    }
  | { outcome: 'failed'; reason: string; latencyMs: number }
  | { outcome: 'overQueueBound' | 'notForwarded'; reason: string };

export type ForwardOutcomeKind = ForwardOutcome['outcome'];

/**
 * The start of an answer as one printable line: runs of whitespace become
 * one space and other control characters (a terminal's escape sequences
 * among them) become U+FFFD, so an app's answer cannot redraw the tail.
 */
export function toBodyStart(text: string): string {
  const oneLine = text
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD')
    .trim();
  return oneLine.length > BODY_START_CHARACTERS
    ? `${oneLine.slice(0, BODY_START_CHARACTERS)}…`
    : oneLine;
}
