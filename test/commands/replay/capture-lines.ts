import { classifyEvent } from '../../../src/receiver/classify-event.js';
import {
  toCaptureLine,
  type RequestRecord,
} from '../../../src/receiver/request-record.js';

/** Events of each kind, shaped like the fixtures under fixtures/events. */
export const SAMPLES = {
  callLog: (callId: string) => ({
    call_id: callId,
    duration: 184,
    direction: 'inbound',
    caller_id_number: '+919000012501',
    call_to_number: '+918000099001',
  }),
  leadCreated: (callId: string) => ({
    customer_id: 'acme',
    user_number: '+919000012502',
    call_id: callId,
    direction: 'outbound',
    source: '+918000099001',
  }),
  tagUpdate: (callId: string) => ({
    customer_id: 'acme',
    call_id: callId,
    tag: ['interested', 'site-visit'],
  }),
};

export interface CaptureLineOptions {
  /** JSON text or bytes as sent; anything else is sent as JSON. */
  body: unknown;
  receivedAt?: Date;
  status?: number;
  reason?: string;
  contentType?: string;
}

/**
 * One capture line exactly as listen writes it (its own toCaptureLine),
 * for tests that need times or statuses a live listen cannot be made to
 * produce on demand. Ends with a line feed.
 */
export function captureLine(options: CaptureLineOptions): string {
  const body = toBytes(options.body);
  const status = options.status ?? 200;
  const record: RequestRecord = {
    receivedAt: (options.receivedAt ?? new Date()).toISOString(),
    remoteAddress: '127.0.0.1',
    method: 'POST',
    path: '/',
    headers: {
      host: '127.0.0.1:8787',
      'content-type': options.contentType ?? 'application/json',
      'x-webhook-secret': '********',
      'x-trace-id': 't-1',
    },
    status,
    reason: options.reason,
    body,
  };
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  try {
    record.parsed = JSON.parse(text);
    record.event = classifyEvent(record.parsed);
  } catch {
    // Not JSON: listen answered it 400 and kept only the bytes.
  }
  return `${toCaptureLine(record)}\n`;
}

/** A line for a request listen refused before reading its body. */
export function refusedLine(status: number, reason: string): string {
  const line = JSON.parse(captureLine({ body: '{}' })) as Record<
    string,
    unknown
  >;
  for (const field of ['bodyBase64', 'bodySha256', 'bodyBytes', 'parsedBody']) {
    delete line[field];
  }
  return `${JSON.stringify({ ...line, status, reason })}\n`;
}

function toBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}
