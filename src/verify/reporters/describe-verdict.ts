import { KIND_NAMES } from '../../contract/schemas.js';
import type { RecordVerdict } from '../verify-result.js';

export const NOT_AN_EVENT = 'not an event';

/**
 * Said of an invalid record whose checker gave no problem, so that such a
 * record still shows up in every report rather than vanishing.
 */
export const NO_PROBLEM_GIVEN = 'breaks the contract (no details given)';

/**
 * What the record is: its kind, the nearest kind when it matches none, or
 * that it is not an event at all (not JSON, or not a JSON object).
 */
export function describeKind(
  verdict: Pick<RecordVerdict, 'kind' | 'matchesNoKind'>,
): string {
  if (verdict.kind === undefined) return NOT_AN_EVENT;
  const name = KIND_NAMES[verdict.kind];
  return verdict.matchesNoKind ? `matches no kind (nearest: ${name})` : name;
}
