import type { Problem } from '../../contract/describe-issues.js';
import { UsageError } from '../../errors.js';
import { escapeControls } from '../../text/escape-controls.js';
import {
  isCaptureLine,
  openCaptureLine,
  type CapturedBody,
} from '../../verify/open-capture-line.js';
import type { RawRecord } from '../../verify/raw-record.js';

const ACCEPTED = 200;
/** listen writes every capture line as an object whose first key is this. */
const CAPTURE_LINE_START = '{"receivedAt"';

/** A line `isCaptureLine` accepted. */
type CaptureLine = Parameters<typeof openCaptureLine>[0];

/** A captured request whose body can be sent again, byte for byte. */
export type CapturedEvent = {
  type: 'event';
  line: number;
  /** As listen wrote it: ISO 8601, when the request's headers arrived. */
  receivedAt: string;
  receivedAtMs: number;
  /** What listen answered: 200, or with --include-refused a refusal. */
  status: number;
  /** The Content-Type header exactly as it arrived. */
  contentType: string;
  /** The body as it arrived, checked against its SHA-256. */
  body: Buffer;
  /** False for a body that is not JSON (listen answered it 400). */
  isJson: boolean;
  /** The body parsed, when `isJson`. */
  value: unknown;
};

/** One line of a capture, as replay sees it. */
export type CaptureEntry =
  | CapturedEvent
  /** A request listen did not answer 200: not replayed (see below). */
  | { type: 'refused'; line: number; status: number }
  /** A line changed after listen wrote it: never sent. */
  | { type: 'tampered'; line: number; reason: string }
  /** A capture line that is not whole: listen stopped while writing it. */
  | { type: 'unreadable'; line: number; reason: string };

/**
 * Reads one record of a capture file. Events listen answered 200 are the
 * ones AstraDial really delivered, and are replayed. A refused request is
 * replayed only with `isRefusedIncluded`, and only if listen read its body:
 * it refuses 401, 403, 405, 413, 415 and 429 from the headers alone, so
 * in practice that means a 400 (a body that is not JSON, or an event that
 * failed --strict).
 *
 * The body must match the SHA-256 and length listen stored beside it;
 * a line that does not is `tampered`. A record that is not a capture line
 * at all throws `replay.notACapture`: replay sends listen's captures
 * only, and anything else is a mistake about which file was named.
 */
export function toCaptureEntry(
  record: RawRecord,
  isRefusedIncluded: boolean,
): CaptureEntry {
  const { line } = record.location;
  if (record.type !== 'value') return toUnreadableEntry(record);
  const capture = record.value;
  if (!isCaptureLine(capture)) throw notACapture(record);

  const hasBody = capture.bodyBase64 !== undefined;
  if (capture.status !== ACCEPTED && !(isRefusedIncluded && hasBody)) {
    return { type: 'refused', line, status: capture.status };
  }
  const opened = openCaptureLine(capture);
  if (opened.type === 'none') {
    return { type: 'refused', line, status: capture.status };
  }
  const integrity = opened.problems.filter((problem) => problem.path !== '');
  if (integrity.length > 0) {
    const reason = describeTampering(integrity, hasBody);
    return { type: 'tampered', line, reason };
  }
  return toEventEntry(capture, line, opened);
}

/** The checks that the body's hash does not cover, then the event. */
function toEventEntry(
  capture: CaptureLine,
  line: number,
  opened: Exclude<CapturedBody, { type: 'none' }>,
): CaptureEntry {
  const contentType = headerOf(capture.headers, 'content-type');
  if (typeof contentType !== 'string' || contentType === '') {
    return {
      type: 'tampered',
      line,
      reason:
        'it has no Content-Type header, which listen requires before it reads a body: the line was changed after listen wrote it',
    };
  }
  const receivedAt = capture.receivedAt as string;
  const receivedAtMs = Date.parse(receivedAt);
  if (Number.isNaN(receivedAtMs)) {
    return {
      type: 'tampered',
      line,
      reason: `its receivedAt, "${escapeControls(receivedAt)}", is not a time: the line was changed after listen wrote it`,
    };
  }
  return {
    type: 'event',
    line,
    receivedAt,
    receivedAtMs,
    status: capture.status,
    contentType,
    body: Buffer.from(capture.bodyBase64 as string, 'base64'),
    isJson: opened.type === 'body',
    value: opened.type === 'body' ? opened.value : undefined,
  };
}

/**
 * A line that is not JSON is still a capture line when it starts like
 * one: listen was stopped while writing it, and ended it when it started
 * again. It wrote the line before answering, so that request was never
 * acknowledged and AstraDial sent it again. Anything else means the file
 * is not a capture.
 */
function toUnreadableEntry(
  record: Exclude<RawRecord, { type: 'value' }>,
): CaptureEntry {
  if (!record.excerpt.startsWith(CAPTURE_LINE_START)) throw notACapture(record);
  const why =
    record.type === 'cutShort'
      ? 'it is cut short at the end of the file (listen may still be writing it)'
      : `it is not whole JSON (${record.message})`;
  return {
    type: 'unreadable',
    line: record.location.line,
    reason: `${why}; listen writes a line before it answers, so this request was not acknowledged`,
  };
}

/** A header as listen stored it; undefined if headers is not an object. */
function headerOf(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  return (headers as Record<string, unknown>)[name];
}

function describeTampering(problems: Problem[], hasBody: boolean): string {
  const details = problems.map((problem) => {
    switch (problem.path) {
      case 'bodySha256':
        return 'its body does not match the SHA-256 listen stored with it';
      case 'bodyBytes':
        return 'its body is not as long as the bodyBytes listen stored with it';
      default:
        return hasBody
          ? 'its bodyBase64 is not base64 text'
          : 'it has no body, though listen keeps the body of every request it answers 200';
    }
  });
  return `${details.join(', and ')}: the line was changed after listen wrote it`;
}

function notACapture(record: RawRecord): UsageError {
  const { file, line } = record.location;
  return new UsageError(
    'replay.notACapture',
    `Line ${line} of ${file} is not a line of a listen capture, so nothing was sent. replay sends only the files astradial listen --capture writes; to send a JSON payload of your own, use astradial trigger <kind> --data <file>.`,
  );
}
