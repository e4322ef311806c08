import { z } from 'zod';

import type { Problem } from './describe-issues.js';

/**
 * Elements of one array that zod checks at once. zod keeps an issue per
 * failing element, and a `tag` array of ten million numbers would hold
 * ten million of them: gigabytes, for one record.
 */
const MAX_ELEMENTS_AT_ONCE = 10_000;

type Shape = Record<string, z.ZodType>;

/**
 * `object` with each of the contract's arrays longer than the limit cut to
 * it, for zod; and a check of the elements cut off, one at a time, whose
 * failures are counted rather than kept. Nothing goes unchecked.
 */
export function checkLongArrays(
  object: Record<string, unknown>,
  shape: Shape,
): { head: Record<string, unknown>; tailProblems: Problem[] } {
  let head = object;
  const tailProblems: Problem[] = [];
  for (const [field, element] of arrayFieldsOf(shape)) {
    const value = object[field];
    if (!Array.isArray(value) || value.length <= MAX_ELEMENTS_AT_ONCE) continue;
    head = { ...head, [field]: value.slice(0, MAX_ELEMENTS_AT_ONCE) };
    const failures = countFailures(value, element);
    if (failures > 0) {
      tailProblems.push({
        path: `${field}[${MAX_ELEMENTS_AT_ONCE}…${value.length - 1}]`,
        expected: 'every element as the contract asks (see the problems above)',
        found: `${failures.toLocaleString('en')} more elements that break it, not listed one by one`,
      });
    }
  }
  return { head, tailProblems };
}

function countFailures(array: unknown[], element: z.ZodType): number {
  let failures = 0;
  for (let index = MAX_ELEMENTS_AT_ONCE; index < array.length; index += 1) {
    if (!element.safeParse(array[index]).success) failures += 1;
  }
  return failures;
}

const ARRAY_FIELDS = new WeakMap<Shape, Array<[string, z.ZodType]>>();

/** The shape's array fields and their element schemas, found once. */
function arrayFieldsOf(shape: Shape): Array<[string, z.ZodType]> {
  let fields = ARRAY_FIELDS.get(shape);
  if (fields === undefined) {
    fields = Object.entries(shape).flatMap(([field, schema]) => {
      const element = elementSchemaOf(schema);
      return element === undefined
        ? []
        : [[field, element] as [string, z.ZodType]];
    });
    ARRAY_FIELDS.set(shape, fields);
  }
  return fields;
}

function elementSchemaOf(schema: z.ZodType): z.ZodType | undefined {
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
}
