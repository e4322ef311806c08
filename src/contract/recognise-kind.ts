import { EVENT_KINDS, KIND_FIELDS, type EventKind } from './schemas.js';

export type Recognition = {
  kind: EventKind;
  /** True when the record has no field of any kind: `kind` is the nearest. */
  matchesNoKind: boolean;
};

/**
 * Tells which kind a JSON object is meant to be. The kind naming the most
 * of the object's fields wins, so a call log with a wrong field is still a
 * call log, and a lead push whose custom field is called `tag` is still a
 * lead push. Kinds share `call_id`, `customer_id` and `direction`; a tie,
 * or an object with no field of any kind, goes to the kind it breaks least
 * (`countProblems`), then to the contract's order.
 */
export function recogniseKind(
  object: object,
  countProblems: (kind: EventKind) => number,
): Recognition {
  let best: EventKind[] = [];
  let bestCount = -1;
  for (const kind of EVENT_KINDS) {
    const count = countKnownFields(object, kind);
    if (count > bestCount) {
      best = [kind];
      bestCount = count;
    } else if (count === bestCount) {
      best.push(kind);
    }
  }
  const kind = best.length === 1 ? best[0]! : leastBroken(best, countProblems);
  return { kind, matchesNoKind: bestCount === 0 };
}

function countKnownFields(object: object, kind: EventKind): number {
  let count = 0;
  for (const field of KIND_FIELDS[kind]) {
    if (Object.hasOwn(object, field)) count += 1;
  }
  return count;
}

function leastBroken(
  kinds: EventKind[],
  countProblems: (kind: EventKind) => number,
): EventKind {
  let best = kinds[0]!;
  let fewest = Infinity;
  for (const kind of kinds) {
    const count = countProblems(kind);
    if (count < fewest) {
      best = kind;
      fewest = count;
    }
  }
  return best;
}
