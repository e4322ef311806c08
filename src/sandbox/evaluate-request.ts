import type { SandboxReply, SandboxRequest } from './ingest-sandbox.js';
import {
  isJsonContentType,
  isSecretMatch,
  readJsonBody,
} from '../webhook/request-checks.js';

export type Evaluation = { reply: SandboxReply; parsedBody?: unknown };

export interface EvaluationContext {
  /** The sender's address already used up its requests for this second. */
  isLimited: boolean;
  /** The body was larger than the sandbox accepts. */
  isOversized: boolean;
  rateLimit: number;
  secretDigest: Buffer;
}

const SUCCESS: SandboxReply = {
  status: 200,
  body: '{"status":"success"}',
  store: true,
};

/**
 * The normal answer to one request, checked in the order a gateway in front
 * of an application would: the per-address rate limit first (it applies to
 * every request), then method, secret, content type, size and JSON syntax.
 */
export function evaluateRequest(
  request: SandboxRequest,
  context: EvaluationContext,
): Evaluation {
  if (context.isLimited) {
    const message = `Rate limit exceeded: at most ${context.rateLimit} requests per second per IP address.`;
    return rejectWith(429, message, { 'retry-after': '1' });
  }
  if (request.method !== 'POST') {
    return rejectWith(405, 'Only POST is accepted.', { allow: 'POST' });
  }

  const secret = request.headers['x-webhook-secret'];
  if (secret === undefined) {
    return rejectWith(401, 'The X-Webhook-Secret header is missing.');
  }
  if (typeof secret !== 'string' || secret === '') {
    return rejectWith(401, 'The X-Webhook-Secret header is empty.');
  }
  // Never echo either value: the message only says that they differ.
  if (!isSecretMatch(secret, context.secretDigest)) {
    return rejectWith(401, 'The X-Webhook-Secret header value is wrong.');
  }

  if (!isJsonContentType(request.headers['content-type'])) {
    return rejectWith(415, 'Content-Type must be application/json.');
  }
  if (context.isOversized) {
    return rejectWith(413, 'The request body is too large.');
  }

  const body = readJsonBody(request.body);
  if (!body.isJson) {
    return rejectWith(400, `The request body ${body.problem}.`);
  }
  return { reply: SUCCESS, parsedBody: body.value };
}

function rejectWith(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Evaluation {
  const body = JSON.stringify({ status: 'error', message });
  return { reply: headers ? { status, headers, body } : { status, body } };
}
