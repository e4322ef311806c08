import type { z } from 'zod';

import { previewJson } from './preview-json.js';

/** One way a record breaks the contract, in plain words. */
export type Problem = {
  /** JSON path in the payload, e.g. `call_flow[0].dialst`; '' for the whole. */
  path: string;
  /** What the contract wants there, e.g. `inbound or outbound`. */
  expected: string;
  /** What the record holds there, e.g. `"incoming"` or `nothing (missing)`. */
  found: string;
};

export const MISSING = 'nothing (the field is missing)';
const UNKNOWN_FIELD =
  'no such field (--strict allows only the fields the contract names)';
/**
 * Problems listed per record. A tag array of a million numbers is a
 * million problems of one kind: the first hundred say what is wrong, and
 * the report stays readable and its memory small.
 */
const MAX_PROBLEMS = 100;
/** How much of a found value is shown; the rest is marked as cut. */
const MAX_SHOWN = 80;

/**
 * The problems in a zod error from a parse run with `reportInput: true`.
 * The schemas' messages say what is expected (see schemas.ts); this adds
 * where and what was found instead. An unknown field under --strict is one
 * problem per field, at that field's path.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems = issues.slice(0, MAX_PROBLEMS).flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: joinPath([...issue.path, key]),
        expected: UNKNOWN_FIELD,
        found: describeValue(fieldOf(issue.input, key), false),
      }));
    }
    return [
      {
        path: joinPath(issue.path),
        expected: issue.message,
        found:
          'input' in issue && issue.input !== undefined
            ? describeValue(issue.input, issue.code === 'invalid_type')
            : MISSING,
      },
    ];
  });
  const unlisted = issues.length - Math.min(issues.length, MAX_PROBLEMS);
  if (unlisted > 0) {
    problems.push({
      path: '',
      expected: `the problems above fixed first (at most ${MAX_PROBLEMS} are listed)`,
      found: `${unlisted.toLocaleString('en')} more problems in this record, not listed`,
    });
  }
  return problems;
}

/** `call_flow[0].dialst`; keys that are not plain words get `["a b"]`. */
export function joinPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, position) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) {
        return position === 0 ? name : `.${name}`;
      }
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

/**
 * A value as a reader would name it: JSON text, cut at MAX_SHOWN characters
 * with the cut marked. With `withType`, the JSON type comes first
 * (`string "95"`), which is the point of a type mismatch. A number JSON
 * could not hold exactly says so, since the text in the file differs.
 */
export function describeValue(value: unknown, withType: boolean): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON.stringify would print it as null; the file has a number there.
    const sign = value < 0 ? '-' : '';
    return `a number too large in size for most JSON readers (like 1e400 or -1e400), read as ${sign}Infinity`;
  }
  const shown = previewJson(value, MAX_SHOWN) + describeHidden(value);
  if (!withType || value === null) return shown;
  return `${typeName(value)} ${shown}`;
}

/** What the preview does not show: a long text's length, a number's loss. */
function describeHidden(value: unknown): string {
  if (typeof value === 'string' && value.length + 2 > MAX_SHOWN) {
    return ` (${value.length} characters)`;
  }
  if (typeof value !== 'number') return '';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return ` (as read: whole numbers beyond ${Number.MAX_SAFE_INTEGER} lose digits)`;
  }
  return '';
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function fieldOf(input: unknown, key: string): unknown {
  if (typeof input !== 'object' || input === null) return undefined;
  return (input as Record<string, unknown>)[key];
}

/** The JSON path, with the whole record (path '') named in words. */
export function formatPath(path: string): string {
  return path === '' ? '(record)' : path;
}

/** `expected inbound or outbound, found "incoming"` */
export function formatMismatch(problem: Problem): string {
  return `expected ${problem.expected}, found ${problem.found}`;
}

/** A problem on one line: `direction: expected inbound or outbound, found "incoming"`. */
export function formatProblem(problem: Problem): string {
  return `${formatPath(problem.path)}: ${formatMismatch(problem)}`;
}
