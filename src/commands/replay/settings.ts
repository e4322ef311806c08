import { loadConfigFile, readEnvironmentConfig } from '../../config.js';
import { UsageError } from '../../errors.js';
import { resolveCommandSecret, type ResolvedSecret } from '../../secret.js';
import { parseSendRate, parseSendTimeout } from '../../send/send-pace.js';
import {
  insecureTargetWarning,
  parseEventTarget,
  verifySecretNotInTarget,
} from '../../send/event-target.js';
import type { VerifyInput } from '../../verify/resolve-inputs.js';
import {
  parseEventFilter,
  type EventFilter,
  type EventFilterFlags,
} from './event-filter.js';
import { resolveCaptureInput } from './resolve-capture-input.js';
import type { GlobalOptions } from '../../output.js';

/** Flags of `astradial replay` as commander hands them over. */
export interface ReplayFlags extends GlobalOptions, EventFilterFlags {
  to: string;
  rate?: number;
  dryRun: boolean;
  secretFile?: string;
  secret?: string;
  timeout?: string;
  insecure: boolean;
  /** `--include-refused`: also replay the 400s listen kept the body of. */
  includeRefused: boolean;
}

/** Everything a replay needs, checked before the capture is read. */
export interface ReplaySettings {
  input: VerifyInput;
  target: URL;
  /** Absent only in a dry run given none: it sends nothing. */
  secret?: ResolvedSecret;
  timeoutMs: number;
  /** Events per second at most. */
  rate: number;
  filter: EventFilter;
  isDryRun: boolean;
  isRefusedIncluded: boolean;
  warnings: string[];
}

/**
 * Checks the flags in the order a user would fix them: where to send,
 * how, which events, then the secret and the capture file. `now` anchors
 * `--since 2h`. The config file and ASTRADIAL_WEBHOOK_SECRET give the
 * secret only: the config's `rate` is push's pace towards AstraDial, not
 * a pace for the user's own receiver.
 */
export async function resolveReplaySettings(
  capture: string,
  flags: ReplayFlags,
  now: number,
): Promise<ReplaySettings> {
  const target = parseEventTarget(flags.to, flags.insecure);
  const settings: ReplaySettings = {
    input: await resolveCaptureInput(capture, process.cwd()),
    target,
    timeoutMs: parseSendTimeout(flags.timeout),
    rate: parseSendRate(flags.rate, 'replay'),
    filter: parseEventFilter(flags, now),
    isDryRun: flags.dryRun,
    isRefusedIncluded: flags.includeRefused,
    warnings: [],
  };

  settings.secret = await resolveReplaySecret(flags);
  if (settings.secret) verifySecretNotInTarget(target, settings.secret.value);
  if (settings.secret?.source === 'flag') {
    settings.warnings.push(
      'The secret given with --secret is visible to other users of this machine in the process list. Prefer --secret-file or ASTRADIAL_WEBHOOK_SECRET.',
    );
  }
  const insecure = insecureTargetWarning(target);
  if (insecure && !flags.dryRun) settings.warnings.push(insecure);
  return settings;
}

/**
 * The capture holds the secret masked, so the events go with the secret
 * the user has now: flag, file, environment, then config, as push finds
 * it. A dry run sends nothing and needs none.
 */
async function resolveReplaySecret(
  flags: ReplayFlags,
): Promise<ResolvedSecret | undefined> {
  const file = await loadConfigFile(flags.config);
  const secret = await resolveCommandSecret(
    flags,
    readEnvironmentConfig().secret,
    file,
  );
  if (secret || flags.dryRun) return secret;
  throw new UsageError(
    'replay.noSecret',
    'No webhook secret to send with the events: the capture holds it masked, so replay sends the one you have now. Set ASTRADIAL_WEBHOOK_SECRET, or pass --secret-file <path>, or put secretFile in the config file.',
  );
}
