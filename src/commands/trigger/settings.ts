import {
  loadConfigFile,
  mergeConfig,
  readEnvironmentConfig,
  type LoadedConfig,
} from '../../config.js';
import { checkEvent } from '../../contract/check-event.js';
import { formatProblem } from '../../contract/describe-issues.js';
import type { EventKind } from '../../contract/event-kinds.js';
import { UsageError } from '../../errors.js';
import { resolveCommandSecret, type ResolvedSecret } from '../../secret.js';
import { parseSendRate, parseSendTimeout } from '../../send/send-pace.js';
import {
  insecureTargetWarning,
  parseEventTarget,
  verifySecretNotInTarget,
} from '../../send/event-target.js';
import { readDataFile } from './data-file.js';
import { createEventBodies, type EventBody } from './event-bodies.js';
import { PLACEHOLDER_CUSTOMER_ID, type SampleKind } from './sample-events.js';
import { parseFieldSetting } from './set-field.js';
import type { GlobalOptions } from '../../output.js';

/** Time to wait for each answer unless --timeout says otherwise. */

/** Contract problems named in the warning; a count stands for the rest. */
const SHOWN_PROBLEMS = 3;

/** Flags of `astradial trigger` as commander hands them over. */
export interface TriggerFlags extends GlobalOptions {
  to: string;
  set: string[];
  data?: string;
  count: number;
  secretFile?: string;
  secret?: string;
  timeout?: string;
  rate?: number;
  insecure: boolean;
}

/** Everything a trigger run needs, checked before anything is sent. */
export interface TriggerSettings {
  kind: SampleKind;
  url: URL;
  secret: ResolvedSecret;
  timeoutMs: number;
  /** Events per second at most, for --count. */
  rate: number;
  bodies: EventBody[];
  warnings: string[];
}

/**
 * Checks the flags, in the order a user would fix them: the kind and the
 * target (refused before any connection), the numbers, each --set, then
 * the secret and the --data file.
 */
export async function resolveTriggerSettings(
  kind: EventKind,
  flags: TriggerFlags,
): Promise<TriggerSettings> {
  const sampleKind = checkKind(kind);
  const url = parseEventTarget(flags.to, flags.insecure);
  const count = checkCount(flags.count);
  const rate = parseSendRate(flags.rate, 'trigger');
  const timeoutMs = parseSendTimeout(flags.timeout);
  const fieldSettings = flags.set.map(parseFieldSetting);

  const file = await loadConfigFile(flags.config);
  const environment = readEnvironmentConfig();
  const secret = await resolveTriggerSecret(flags, environment.secret, file);
  verifySecretNotInTarget(url, secret.value);
  const data =
    flags.data === undefined ? undefined : await readDataFile(flags.data);

  const bodies = createEventBodies({
    kind: sampleKind,
    count,
    fieldSettings,
    data,
    customerId:
      mergeConfig(file.config, environment).company ?? PLACEHOLDER_CUSTOMER_ID,
  });
  return {
    kind: sampleKind,
    url,
    secret,
    timeoutMs,
    rate,
    bodies,
    warnings: collectWarnings(secret, sampleKind, bodies[0]!, url),
  };
}

/** commander refuses lead_push already; this keeps the types honest. */
function checkKind(kind: EventKind): SampleKind {
  if (kind !== 'lead_push') return kind;
  throw new UsageError(
    'trigger.invalidKind',
    'AstraDial does not send lead pushes; they are what push sends. Give call_log, lead_created or tag_update.',
  );
}

function checkCount(count: number): number {
  if (Number.isInteger(count) && count >= 1) return count;
  throw new UsageError(
    'usage.invalidNumber',
    `--count ${count} is not a whole number from 1 or more.`,
  );
}

/** The secret as listen and push find it: flag, file, environment, config. */
async function resolveTriggerSecret(
  flags: TriggerFlags,
  environmentSecret: string | undefined,
  file: LoadedConfig,
): Promise<ResolvedSecret> {
  const secret = await resolveCommandSecret(flags, environmentSecret, file);
  if (secret) return secret;
  throw new UsageError(
    'trigger.noSecret',
    'No webhook secret to send in the X-Webhook-Secret header. Set ASTRADIAL_WEBHOOK_SECRET, or pass --secret-file <path>, or put secretFile in the config file.',
  );
}

/**
 * What the user should know before the run: a secret in the process list,
 * and an event that breaks the contract (checked on the first body; the
 * others differ only in fresh ids and numbers, or not at all).
 */
function collectWarnings(
  secret: ResolvedSecret,
  kind: SampleKind,
  firstBody: EventBody,
  url: URL,
): string[] {
  const warnings: string[] = [];
  const insecure = insecureTargetWarning(url);
  if (insecure) warnings.push(insecure);
  if (secret.source !== 'environment') {
    // The curl line reads the secret from this variable.
    warnings.push(
      `The curl line below reads the secret from $ASTRADIAL_WEBHOOK_SECRET, but this run took it from ${secret.origin}: export the variable before running it.`,
    );
  }
  if (secret.source === 'flag') {
    warnings.push(
      'The secret given with --secret is visible to other users of this machine in the process list. Prefer --secret-file or ASTRADIAL_WEBHOOK_SECRET.',
    );
  }
  const problems = checkEvent(firstBody.parsed, {
    kind,
    isStrict: false,
  }).problems;
  if (problems.length > 0) {
    // A receiver must cope with events like this too, so they are sent.
    const shown = problems.slice(0, SHOWN_PROBLEMS).map(formatProblem);
    const more = problems.length - shown.length;
    if (more > 0) shown.push(`${more} more`);
    warnings.push(
      `The event breaks the ${kind} contract, and is sent as it is: ${shown.join('; ')}.`,
    );
  }
  return warnings;
}
