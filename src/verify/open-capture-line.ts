import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';

import {
  findRepeatedKeys,
  repeatedKeyProblem,
  type RepeatedKey,
} from '../contract/find-repeated-key.js';
import {
  describeValue,
  MISSING,
  type Problem,
} from '../contract/describe-issues.js';

/** What a listen capture line holds to check. */
export type CapturedBody =
  /** The body parsed, with any sign that the capture was altered. */
  | { type: 'body'; value: unknown; problems: Problem[] }
  /** The body could not be read as JSON: only problems. */
  | { type: 'broken'; problems: Problem[] }
  /** listen refused the request before reading a body. */
  | { type: 'none'; note: string };

const ACCEPTED = 200;

type CaptureLine = Record<string, unknown> & {
  status: number;
  reason?: unknown;
  bodyBase64?: unknown;
  bodySha256?: unknown;
  bodyBytes?: unknown;
};

/** True for a line written by `astradial listen --capture`. */
export function isCaptureLine(value: unknown): value is CaptureLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.receivedAt === 'string' &&
    typeof line.method === 'string' &&
    typeof line.status === 'number' &&
    typeof line.headers === 'object'
  );
}

/**
 * The body of a capture line, checked against the SHA-256 and length
 * stored beside it, then read as UTF-8 JSON (a BOM is allowed, as listen
 * allows it). The copy in `parsedBody` is not used: the bytes are what
 * AstraDial sent.
 */
export function openCaptureLine(line: CaptureLine): CapturedBody {
  if (line.bodyBase64 === undefined && line.status === ACCEPTED) {
    return {
      type: 'broken',
      problems: [
        {
          path: 'bodyBase64',
          expected:
            'the body, which listen keeps for every request it answers 200',
          found: `${MISSING}: the capture was changed after listen wrote it`,
        },
      ],
    };
  }
  if (line.bodyBase64 === undefined) {
    const reason = typeof line.reason === 'string' ? `: ${line.reason}` : '';
    return {
      type: 'none',
      note: `no body was captured (listen answered ${line.status}${reason})`,
    };
  }
  if (typeof line.bodyBase64 !== 'string') {
    return {
      type: 'broken',
      problems: [
        {
          path: 'bodyBase64',
          expected: 'the body as base64 text',
          found: describeValue(line.bodyBase64, true),
        },
      ],
    };
  }
  const bytes = Buffer.from(line.bodyBase64, 'base64');
  const integrity = checkIntegrity(line, bytes);
  const parsed = parseBody(bytes);
  if (!('value' in parsed)) {
    return { type: 'broken', problems: [...integrity, parsed.problem] };
  }
  const problems = [
    ...integrity,
    ...parsed.repeatedKeys.map(repeatedKeyProblem),
  ];
  return { type: 'body', value: parsed.value, problems };
}

function checkIntegrity(line: CaptureLine, bytes: Buffer): Problem[] {
  const problems: Problem[] = [];
  const digest = hash('sha256', bytes, 'hex');
  if (line.bodySha256 !== digest) {
    problems.push({
      path: 'bodySha256',
      expected: `the SHA-256 of the captured body, ${digest}`,
      found: `${describeField(line.bodySha256)}: the body or its hash was changed after capture`,
    });
  }
  if (line.bodyBytes !== bytes.length) {
    problems.push({
      path: 'bodyBytes',
      expected: `the captured body's length, ${bytes.length}`,
      found: describeField(line.bodyBytes),
    });
  }
  return problems;
}

function describeField(value: unknown): string {
  return value === undefined ? MISSING : describeValue(value, false);
}

const UTF8_BOM = '\uFEFF';

function parseBody(
  bytes: Buffer,
): { value: unknown; repeatedKeys: RepeatedKey[] } | { problem: Problem } {
  if (!isUtf8(bytes)) {
    return {
      problem: {
        path: '',
        expected: 'a JSON body in UTF-8',
        found: 'bytes that are not UTF-8',
      },
    };
  }
  const decoded = bytes.toString('utf8');
  const text = decoded.startsWith(UTF8_BOM) ? decoded.slice(1) : decoded;
  try {
    const value: unknown = JSON.parse(text);
    return { value, repeatedKeys: findRepeatedKeys(text) };
  } catch (error) {
    return {
      problem: {
        path: '',
        expected: 'a JSON body',
        found: `text that is not JSON (${(error as Error).message})`,
      },
    };
  }
}
