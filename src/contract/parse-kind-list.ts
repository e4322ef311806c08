import { UsageError } from '../errors.js';
import { EVENT_KINDS } from './event-kinds.js';

/** The kinds a filter may name: the contract's, and events of no kind. */
export const FILTER_KINDS: readonly string[] = [...EVENT_KINDS, 'unknown'];

/**
 * A comma-separated list of kinds as a filter flag takes it (listen
 * --events, replay --type), with `call-log` and `Call_Log` read as
 * `call_log`. An empty list or an unknown name is a usage error naming
 * `flag` and the kinds there are.
 */
export function parseKindList(
  list: string,
  flag: string,
  code: string,
): ReadonlySet<string> {
  const names = list
    .split(',')
    .map((name) => name.trim().toLowerCase().replaceAll('-', '_'))
    .filter(Boolean);
  const unknown = names.filter((name) => !FILTER_KINDS.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      code,
      `${flag} "${list}" names no kind or an unknown one. Use a comma-separated list of: ${FILTER_KINDS.join(', ')}.`,
    );
  }
  return new Set(names);
}
