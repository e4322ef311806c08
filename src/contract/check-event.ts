import type { z } from 'zod';

import {
  describeIssues,
  describeValue,
  type Problem,
} from './describe-issues.js';
import { checkLongArrays } from './long-arrays.js';
import { recogniseKind } from './recognise-kind.js';
import {
  EVENT_SCHEMAS,
  STRICT_EVENT_SCHEMAS,
  type EventKind,
} from './schemas.js';

export interface CheckOptions {
  /** Check as this kind instead of recognising one (verify --type). */
  kind?: EventKind;
  /** Refuse fields the contract does not name, custom lead fields too. */
  isStrict: boolean;
}

export type EventCheck = {
  /** Absent when the value is not a JSON object. */
  kind?: EventKind;
  /** True when the object has no field of any kind; `kind` is the nearest. */
  matchesNoKind: boolean;
  /** Empty when the event is valid. */
  problems: Problem[];
};

const NOT_AN_OBJECT = 'a JSON object (one event)';

/** Checks one parsed JSON value against the contract. */
export function checkEvent(value: unknown, options: CheckOptions): EventCheck {
  if (!isPlainObject(value)) {
    return {
      matchesNoKind: false,
      problems: [
        {
          path: '',
          expected: NOT_AN_OBJECT,
          found: describeValue(value, true),
        },
      ],
    };
  }
  const schemas = options.isStrict ? STRICT_EVENT_SCHEMAS : EVENT_SCHEMAS;
  const problemsAs = (kind: EventKind) => {
    const schema = schemas[kind];
    const { head, tailProblems } = checkLongArrays(value, schema.shape);
    const problems = schema.safeParse(head).success
      ? []
      : describeIssues(problemsWithInput(schema, head));
    return tailProblems.length > 0 ? [...problems, ...tailProblems] : problems;
  };
  if (options.kind) {
    return {
      kind: options.kind,
      matchesNoKind: false,
      problems: problemsAs(options.kind),
    };
  }
  const { kind, matchesNoKind } = recogniseKind(
    value,
    (candidate) => problemsAs(candidate).length,
  );
  return { kind, matchesNoKind, problems: problemsAs(kind) };
}

/**
 * The issues of a value that failed its schema, each with the input it
 * found. zod's fast path, four times quicker for a valid call log, works
 * only without `reportInput`, so a value is parsed with it only once it is
 * known to fail.
 */
function problemsWithInput(
  schema: (typeof EVENT_SCHEMAS)[EventKind],
  value: Record<string, unknown>,
): z.core.$ZodIssue[] {
  const result = schema.safeParse(value, { reportInput: true });
  return result.success ? [] : result.error.issues;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
