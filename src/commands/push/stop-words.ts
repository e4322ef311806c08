import type { StopReason } from '../../delivery/delivery-queue.js';

/** Why the run stopped, as the end of "Not sent: …". */
export function describeStop(reason: StopReason): string {
  switch (reason.kind) {
    case 'unauthorized':
      return 'the server refused the webhook secret (401)';
    case 'unsupported_media_type':
      return 'the server refused the content type (415)';
    case 'unexpected_answer':
      return `the server gave an answer outside AstraDial's contract (${reason.status})`;
    case 'tls':
      return "the server's TLS certificate was not accepted";
    case 'host_not_found':
      return 'the host name could not be resolved';
    case 'unavailable':
      return 'the server kept failing for longer than --max-wait';
    case 'before_send_failed':
      return 'the state file could not be written';
  }
}

/**
 * The stop as one line: the server's own words after 401 and 415, whose
 * details are only those words; the detail alone otherwise, since it
 * already says what happened.
 */
export function describeStopWithDetail(reason: StopReason): string {
  if (
    reason.kind === 'unauthorized' ||
    reason.kind === 'unsupported_media_type'
  ) {
    return `${describeStop(reason)}: ${reason.detail}`;
  }
  return reason.detail;
}

/** What the user can do about a stop, after the stop itself. */
export function adviceForStop(
  reason: StopReason,
  context: { secretFrom: string | null; target: string | null },
): string {
  switch (reason.kind) {
    case 'unauthorized':
      return `The webhook secret was refused. Check the secret from ${context.secretFrom ?? 'your settings'}: it must be the one AstraDial issued for ${context.target}.`;
    case 'unsupported_media_type':
      return "The server refused the request's content type. Requests are sent as application/json; if a proxy sits between you and AstraDial, check that it leaves the Content-Type header alone.";
    case 'unexpected_answer':
      return 'Open the URL in a browser: a Wi-Fi login page or a proxy may be answering for AstraDial. Check --url or --company.';
    case 'tls':
      return 'Nothing was sent to that server. Fix the certificate problem above, then rerun.';
    case 'host_not_found':
      return `Check the network connection and the host in ${context.target}.`;
    case 'unavailable':
      return 'AstraDial may be down. Try again later; rerunning the same command resumes. --max-wait sets how long a run waits out errors.';
    case 'before_send_failed':
      return 'Free disk space or fix the permissions of the state file, or pass --state <path>, then rerun.';
  }
}
