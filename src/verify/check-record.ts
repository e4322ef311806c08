import { checkEvent, type CheckOptions } from '../contract/check-event.js';
import type { Problem } from '../contract/describe-issues.js';
import { repeatedKeyProblem } from '../contract/find-repeated-key.js';
import { isCaptureLine, openCaptureLine } from './open-capture-line.js';
import type { RawRecord } from './read-records.js';
import type { RecordVerdict } from './verify-result.js';

/**
 * What verify reports for one record read from an input: a payload, or a
 * listen capture line whose body is checked, or text that is not JSON.
 */
export function checkRecord(
  record: RawRecord,
  options: CheckOptions,
): RecordVerdict {
  const { location } = record;
  switch (record.type) {
    case 'notJson':
      return unreadable(location, {
        path: '',
        expected: 'a JSON record',
        found: `text that is not JSON (${record.message}): ${record.excerpt}`,
      });
    case 'cutShort':
      return unreadable(location, {
        path: '',
        expected: 'a complete JSON record',
        found: `a last line cut short, with no line end (${record.excerpt}). The file may still be being written: check it again once listen has stopped.`,
      });
    case 'value': {
      if (isCaptureLine(record.value)) {
        return checkCaptureLine(record.value, location, options);
      }
      const verdict = checkPayload(record.value, location, options, false);
      if (!record.repeatedKeys) return verdict;
      return withProblemsFirst(
        verdict,
        record.repeatedKeys.map(repeatedKeyProblem),
      );
    }
  }
}

function checkCaptureLine(
  line: Parameters<typeof openCaptureLine>[0],
  location: RecordVerdict['location'],
  options: CheckOptions,
): RecordVerdict {
  const body = openCaptureLine(line);
  switch (body.type) {
    case 'none':
      return {
        location,
        outcome: 'skipped',
        matchesNoKind: false,
        problems: [],
        note: body.note,
        isCapture: true,
      };
    case 'broken':
      return { ...unreadable(location, ...body.problems), isCapture: true };
    case 'body': {
      const verdict = checkPayload(body.value, location, options, true);
      if (body.problems.length === 0) return verdict;
      return withProblemsFirst(verdict, body.problems);
    }
  }
}

/** The verdict made invalid by problems found before its content was checked. */
function withProblemsFirst(
  verdict: RecordVerdict,
  problems: Problem[],
): RecordVerdict {
  return {
    ...verdict,
    outcome: 'invalid',
    problems: [...problems, ...verdict.problems],
  };
}

function checkPayload(
  value: unknown,
  location: RecordVerdict['location'],
  options: CheckOptions,
  isCapture: boolean,
): RecordVerdict {
  const check = checkEvent(value, options);
  return {
    location,
    outcome: check.problems.length === 0 ? 'valid' : 'invalid',
    kind: check.kind,
    matchesNoKind: check.matchesNoKind,
    problems: check.problems,
    isCapture,
  };
}

function unreadable(
  location: RecordVerdict['location'],
  ...problems: Problem[]
): RecordVerdict {
  return {
    location,
    outcome: 'invalid',
    matchesNoKind: false,
    problems,
    isCapture: false,
  };
}
