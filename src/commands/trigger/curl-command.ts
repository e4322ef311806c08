/** The variable the curl command reads the secret from, as push does. */
export const SECRET_VARIABLE = 'ASTRADIAL_WEBHOOK_SECRET';

export interface CurlRequest {
  url: URL;
  /** Name, value pairs to send as they are; never the secret header. */
  headers: Array<[name: string, value: string]>;
  /** The body as text: trigger's bodies are JSON, so UTF-8 text. */
  body: string;
  /**
   * A file holding exactly the body (--data without --set): the command
   * then reads it with `@file`, which keeps a long body off the command
   * line (Linux takes at most 128 KB in one argument).
   */
  bodyFile?: string;
}

/**
 * A POSIX shell command that sends the same request with curl:
 *
 *   curl -X POST 'http://127.0.0.1:3000/hooks' -H 'Content-Type: application/json' …
 *     -H "X-Webhook-Secret: $ASTRADIAL_WEBHOOK_SECRET" --data-binary '{"call_id":…}'
 *
 * (on one line). Every word is single-quoted, which keeps each byte as it
 * is; the secret header alone is double-quoted, so that the shell puts in
 * the secret from the environment and the command can be shown, pasted
 * and kept without it. --data-binary sends the body's bytes unchanged,
 * where -d would strip its line breaks.
 */
export function formatCurlCommand(request: CurlRequest): string {
  const headers = request.headers.flatMap(([name, value]) => [
    '-H',
    quoteShellWord(`${name}: ${value}`),
  ]);
  return [
    'curl -X POST',
    quoteShellWord(request.url.href),
    ...headers,
    '-H',
    `"X-Webhook-Secret: $${SECRET_VARIABLE}"`,
    '--data-binary',
    quoteShellWord(
      request.bodyFile === undefined ? request.body : `@${request.bodyFile}`,
    ),
  ].join(' ');
}

/**
 * `text` as one shell word. Nothing is special between single quotes, so
 * only a single quote itself needs care: end the quoted run, add an
 * escaped quote, and start a new run.
 */
export function quoteShellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
