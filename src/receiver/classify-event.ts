import { checkEvent } from '../contract/check-event.js';
import { formatProblem } from '../contract/describe-issues.js';
import {
  repeatedKeyProblem,
  type RepeatedKey,
} from '../contract/find-repeated-key.js';
import type { EventKind } from '../contract/schemas.js';

/** What an accepted body is: one of the contract's events, or unknown. */
export type Classification = {
  kind: EventKind | 'unknown';
  isValid: boolean;
  /** `path: expected …, found …`, one per problem; empty when valid. */
  problems: string[];
};

const NO_KIND =
  'matches no known event kind (call log, lead created, tag update, lead push)';

/**
 * Tells the kind of an event by its fields, then validates it against that
 * kind's schema (see checkEvent). A body that is not a JSON object, or has
 * no field of any kind, is `unknown` and not valid. A key its text gives
 * twice (`repeatedKeys`, see findRepeatedKeys) makes it invalid too.
 */
export function classifyEvent(
  body: unknown,
  repeatedKeys: RepeatedKey[] = [],
): Classification {
  const check = checkEvent(body, { isStrict: false });
  const problems = repeatedKeys.map(repeatedKeyProblem);
  if (check.kind === undefined || check.matchesNoKind) {
    return {
      kind: 'unknown',
      isValid: false,
      problems: [...problems.map(formatProblem), NO_KIND],
    };
  }
  problems.push(...check.problems);
  return {
    kind: check.kind,
    isValid: problems.length === 0,
    problems: problems.map(formatProblem),
  };
}
