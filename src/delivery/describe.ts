import { STATUS_CODES } from 'node:http';

/** Long enough for any sensible error message, short enough for a CSV cell. */
const MAX_WORDS_LENGTH = 300;

/**
 * The server's own words from an answer body: the `message` (or `error`,
 * `detail`) of a JSON body, the text of an HTML page, or the plain text,
 * on one line and trimmed to a sane length.
 */
export function describeServerWords(text: string): string {
  const words = collapse(pickMessage(text));
  if (words === '') return '(no message)';
  if (words.length <= MAX_WORDS_LENGTH) return words;
  return `${words.slice(0, MAX_WORDS_LENGTH - 1)}…`;
}

/** `503 Service Unavailable: <the server's words>`. */
export function describeStatus(status: number, text: string): string {
  const name = STATUS_CODES[status];
  const label = name ? `${status} ${name}` : String(status);
  return `${label}: ${describeServerWords(text)}`;
}

function pickMessage(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const message = messageOfJson(trimmed);
    if (message !== undefined) return message;
  }
  if (trimmed.startsWith('<')) return textOfHtml(trimmed);
  return trimmed;
}

function messageOfJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail', 'error_description']) {
    const candidate = record[key];
    if (typeof candidate === 'string' && candidate.trim() !== '') {
      return candidate;
    }
  }
  return undefined;
}

/** A proxy's error page: its title says it all, otherwise drop the tags. */
function textOfHtml(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  if (title && title.trim() !== '') return title;
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// prettier-ignore
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused: nothing is listening at that address and port',
  ECONNRESET: 'the connection was reset by the server or a proxy',
  EPIPE: 'the server closed the connection while the request was being sent',
  ETIMEDOUT: 'the network timed out',
  EHOSTUNREACH: 'the host is unreachable from this machine',
  ENETUNREACH: 'the network is unreachable from this machine',
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (temporary DNS failure)',
  UND_ERR_SOCKET: 'the server closed the connection without answering',
  UND_ERR_CLOSED: 'the connection was closed before the request completed',
  UND_ERR_CONNECT_TIMEOUT: 'could not connect within the timeout',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer within the timeout',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending its answer before it was complete',
};

/**
 * A connection failure in plain words, with the error code for searching:
 * "the connection was refused: nothing is listening at that address and
 * port (ECONNREFUSED)".
 */
export function describeConnectionError(
  error: unknown,
  timeoutMs: number,
): string {
  const code = findErrorCode(error);
  const explanation = code === undefined ? undefined : CONNECTION_ERRORS[code];
  if (explanation) {
    const isTimeout = code?.includes('TIMEOUT');
    const limit = isTimeout ? ` of ${timeoutMs / 1000} s` : '';
    return `${explanation}${limit} (${code})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}

/**
 * The most telling error code in the chain: a code we can explain, found on
 * the error, its `cause` (undici wraps system errors) or the first of its
 * `errors` (Node's happy-eyeballs connect throws an AggregateError);
 * otherwise the outermost code.
 */
export function findErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as {
    code?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && code in CONNECTION_ERRORS) return code;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const inner = findErrorCode(cause) ?? findErrorCode(first);
  return inner ?? (typeof code === 'string' ? code : undefined);
}

/** Replaces every occurrence of the secret, in case a server echoes it. */
export function redactSecret(text: string, secret: string): string {
  if (secret === '' || !text.includes(secret)) return text;
  return text.split(secret).join('[secret]');
}
