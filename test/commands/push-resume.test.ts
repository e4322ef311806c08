import { existsSync } from 'node:fs';

import { describe, expect, test } from 'vitest';

import type {
  Sandbox,
  SandboxReply,
  SandboxRequest,
} from '../../src/sandbox/ingest-sandbox.js';
import {
  countStoredBy,
  mulberry32,
  createFaultPlan,
  type FaultRates,
} from '../helpers/fault-plan.js';
import {
  csvLines,
  readRejects,
  SECRET,
  usePushFixture,
} from '../helpers/push-fixture.js';
import { startCli, type CliResult } from '../helpers/run-cli.js';

const fixture = usePushFixture();

/**
 * The "done when" of push resume: a push killed at random moments and run
 * again until it finishes ends with every row of the file exactly once as
 * delivered, rejected or reported uncertain, and nothing stored twice.
 *
 * Every random choice (kill moments, fault plan) comes from one seed,
 * printed in each assertion message. Rerun a failure with the same seed:
 *   PUSH_RESUME_SEED=<seed> npx vitest run test/commands/push-resume.test.ts
 */
const SEED = Number(process.env.PUSH_RESUME_SEED ?? 20_260_315);

const ROW_COUNT = 300;
const HEADER = 'customer_name,phone_number,event_date,city,ref';

/** Rows the converter rejects, by index, with the cell that breaks them. */
// prettier-ignore
const BROKEN_ROWS = new Map<number, { reason: string; name?: string; phone?: string; date?: string }>([
  [17,  { reason: 'phone_missing', phone: '' }],
  [61,  { reason: 'name_missing', name: '' }],
  [123, { reason: 'phone_invalid', phone: '12345' }],
  [190, { reason: 'date_invalid', date: '31/02/2026' }],
  [250, { reason: 'phone_scientific_notation', phone: '9.19877E+11' }],
]);

/** Leads the sandbox always refuses with 400, whatever the fault plan says. */
const REFUSED_REFS = new Set(['r40', 'r155', 'r280']);
const REFUSAL: SandboxReply = {
  status: 400,
  body: JSON.stringify({
    status: 'error',
    message: 'Lead refused: the number is on the do-not-call list.',
  }),
};

/** Enough rounds that kills land in startup, mid-run and near the end. */
const KILL_ROUNDS = 10;
/** Runs without a kill, to finish rows that the last one left. */
const MAX_COMPLETION_RUNS = 3;

type ExpectedRow = {
  line: number;
  ref: string;
  /** The conversion reason for a broken row; undefined for a valid one. */
  brokenReason: string | undefined;
};

/** 300 distinct leads, a few broken on purpose, each with its own `ref`. */
function makeLeads(): { csv: string; rows: ExpectedRow[] } {
  const lines = [HEADER];
  const rows: ExpectedRow[] = [];
  for (let index = 0; index < ROW_COUNT; index += 1) {
    const broken = BROKEN_ROWS.get(index);
    const name = broken?.name ?? `Lead ${index}`;
    const phone = broken?.phone ?? String(9_000_010_000 + index);
    const date = broken?.date ?? '15/03/2026 10:30';
    const ref = `r${index}`;
    lines.push(`${name},${phone},${date},Pune,${ref}`);
    rows.push({ line: index + 2, ref, brokenReason: broken?.reason });
  }
  return { csv: csvLines(...lines), rows };
}

function refOf(body: unknown): string {
  const ref = (body as { ref?: unknown } | null)?.ref;
  return typeof ref === 'string' ? ref : '(no ref)';
}

function refOfRequest(request: SandboxRequest): string {
  try {
    return refOf(JSON.parse(request.body.toString('utf8')));
  } catch {
    return '(not JSON)';
  }
}

/** The fault plan, except that the refused leads always get a 400. */
function respondWith(faults: FaultRates) {
  const plan = createFaultPlan({ seed: SEED, faults });
  return (request: SandboxRequest) =>
    REFUSED_REFS.has(refOfRequest(request)) ? REFUSAL : plan(request);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once the sandbox has received `count` requests in all, or the
 * run has ended on its own, whichever comes first.
 */
async function waitForRequests(
  sandbox: Sandbox,
  count: number,
  hasEnded: () => boolean,
): Promise<void> {
  while (sandbox.requestCount() < count && !hasEnded()) await sleep(2);
}

interface KillPlan {
  signal: 'SIGKILL' | 'SIGTERM';
  random: () => number;
}

/**
 * Starts the push and sends `signal` at a random moment: either 50-600 ms
 * after the start (often during startup or the journal's opening), or
 * right after a random number of new requests reached the sandbox (with
 * answers still on their way). Returns the result, and how it was killed.
 */
async function runAndKill(
  sandbox: Sandbox,
  args: string[],
  { signal, random }: KillPlan,
): Promise<{ result: CliResult; moment: string }> {
  const run = startCli({ args, env: { ASTRADIAL_WEBHOOK_SECRET: SECRET } });
  let hasEnded = false;
  void run.result.then(() => (hasEnded = true));

  let moment: string;
  if (random() < 0.3) {
    const delayMs = Math.round(50 + random() * 550);
    moment = `${delayMs} ms after the start`;
    await sleep(delayMs);
  } else {
    const requests = 1 + Math.floor(random() * 40);
    const extraMs = Math.round(random() * 30);
    moment = `${requests} requests later, +${extraMs} ms`;
    await waitForRequests(
      sandbox,
      sandbox.requestCount() + requests,
      () => hasEnded,
    );
    await sleep(extraMs);
  }
  run.child.kill(signal);
  return { result: await run.result, moment };
}

/** Runs the push without killing it until no row is left for a rerun. */
async function runToCompletion(args: string[], context: string) {
  let result: CliResult | undefined;
  for (let run = 1; run <= MAX_COMPLETION_RUNS; run += 1) {
    result = await fixture.push(args);
    expect(
      [0, 1],
      `${context}: completion run ${run}\n${result.stderr}`,
    ).toContain(result.exitCode);
    const summary = JSON.parse(result.stdout) as PushSummaryJson;
    if (summary.left === 0) break;
  }
  return result!;
}

type PushSummaryJson = {
  outcome: string;
  rows: number;
  delivered: number;
  alreadyDelivered: number;
  rejected: number;
  reasons: Record<string, number>;
  left: number;
  leftReasons: Record<string, number>;
  duplicates: { skipped: number };
  uncertainLines: number[];
  stoppedBy: { kind: string } | null;
};

function expectCountsAddUp(summary: PushSummaryJson, context: string): void {
  expect(
    summary.delivered +
      summary.alreadyDelivered +
      summary.rejected +
      summary.left +
      summary.duplicates.skipped,
    `${context}: rows = delivered + alreadyDelivered + rejected + left + duplicates`,
  ).toBe(summary.rows);
}

/**
 * Checks the end state of the whole push: the final summary, the rejects
 * file and what the sandbox stored, row by row.
 */
async function expectEveryRowOnce(options: {
  sandbox: Sandbox;
  rows: ExpectedRow[];
  final: CliResult;
  rejectsPath: string;
  context: string;
}): Promise<{ uncertain: number }> {
  const { sandbox, rows, final, rejectsPath, context } = options;
  expect([0, 1], `${context}: final exit code\n${final.stderr}`).toContain(
    final.exitCode,
  );
  const summary = JSON.parse(final.stdout) as PushSummaryJson;
  expect(summary.stoppedBy, context).toBeNull();
  expect(summary.left, `${context}: rows left after the last run`).toBe(0);
  expect(summary.rows, context).toBe(ROW_COUNT);
  expectCountsAddUp(summary, context);

  // Nothing delivered twice: the central property.
  const stored = countStoredBy(sandbox, refOf);
  const storedTwice = [...stored].filter(([, count]) => count > 1);
  expect(storedTwice, `${context}: refs stored more than once`).toEqual([]);
  const knownRefs = new Set(rows.map((row) => row.ref));
  const strangers = [...stored.keys()].filter((ref) => !knownRefs.has(ref));
  expect(strangers, `${context}: stored bodies without a known ref`).toEqual(
    [],
  );

  const rejected = existsSync(rejectsPath)
    ? (await readRejects(rejectsPath)).slice(1)
    : [];
  const refColumn = 3 + HEADER.split(',').indexOf('ref');
  const rejectLines = rejected.map((row) => Number(row[0]));
  expect(
    new Set(rejectLines).size,
    `${context}: a line twice in the rejects file`,
  ).toBe(rejectLines.length);
  expect(rejected.length, `${context}: rejects file rows`).toBe(
    summary.rejected,
  );
  const reasonOfRef = new Map(
    rejected.map((row) => [row[refColumn]!, row[1]!]),
  );

  let delivered = 0;
  const reasons: Record<string, number> = {};
  for (const row of rows) {
    const reason = reasonOfRef.get(row.ref);
    const storedCount = stored.get(row.ref) ?? 0;
    const what = `${context}: line ${row.line} (${row.ref}), reason ${reason}, stored ${storedCount} times`;
    if (reason !== undefined) reasons[reason] = (reasons[reason] ?? 0) + 1;

    if (row.brokenReason) {
      expect(reason, what).toBe(row.brokenReason);
      expect(storedCount, what).toBe(0);
    } else if (REFUSED_REFS.has(row.ref)) {
      // A kill between the request and its 400 leaves it uncertain.
      expect(['server_rejected', 'uncertain'], what).toContain(reason);
      expect(storedCount, what).toBe(0);
    } else if (reason === undefined) {
      delivered += 1;
      expect(storedCount, what).toBe(1);
    } else {
      expect(reason, what).toBe('uncertain');
      expect(storedCount, what).toBeLessThanOrEqual(1);
    }
  }
  expect(reasons, `${context}: reasons by row`).toEqual(summary.reasons);
  expect(delivered, `${context}: delivered rows`).toBe(
    summary.delivered + summary.alreadyDelivered,
  );

  const uncertainInFile = rejected
    .filter((row) => row[1] === 'uncertain')
    .map((row) => Number(row[0]))
    .sort((a, b) => a - b);
  expect(
    [...summary.uncertainLines].sort((a, b) => a - b),
    `${context}: summary.uncertainLines against the rejects file`,
  ).toEqual(uncertainInFile);
  return { uncertain: uncertainInFile.length };
}

async function preparePush(faults: FaultRates) {
  const sandbox = await fixture.sandbox({
    rateLimit: 0,
    latencyMs: { min: 5, max: 40 },
    respond: respondWith(faults),
  });
  const { csv, rows } = makeLeads();
  const { file, rejectsPath } = await fixture.writeCsv(csv);
  const args = [
    file,
    '--url',
    `${sandbox.url}/acme_test`,
    '--rate',
    '200',
    '--timeout',
    '1s',
    '--timezone',
    'Asia/Kolkata',
    '--json',
  ];
  return { sandbox, rows, rejectsPath, args };
}

describe('push resumes after being killed', () => {
  test('when kill -9 strikes at random moments then every row ends once: delivered, rejected or uncertain', async () => {
    const { sandbox, rows, rejectsPath, args } = await preparePush({
      serverError: 0.05,
      resetBeforeStore: 0.02,
      resetAfterStore: 0.02,
      hangAfterStore: 0.005,
    });
    const random = mulberry32(SEED);

    const moments: string[] = [];
    for (let round = 1; round <= KILL_ROUNDS; round += 1) {
      const { result, moment } = await runAndKill(sandbox, ['push', ...args], {
        signal: 'SIGKILL',
        random,
      });
      moments.push(moment);
      const context = `seed ${SEED}, kill round ${round} (${moment})`;
      // Killed, or finished before the kill came; never refused or broken.
      if (result.signal !== 'SIGKILL') {
        expect([0, 1], `${context}\n${result.stderr}`).toContain(
          result.exitCode,
        );
      }
    }
    const context = `seed ${SEED}, kills at: ${moments.join('; ')}`;
    const final = await runToCompletion(args, context);

    await expectEveryRowOnce({ sandbox, rows, final, rejectsPath, context });
  }, 90_000);

  test('when SIGTERM comes at random moments then the runs stop gracefully and no row is uncertain', async () => {
    const { sandbox, rows, rejectsPath, args } = await preparePush({
      serverError: 0.06,
      rateLimited: 0.01,
    });
    const random = mulberry32(SEED + 1);

    const moments: string[] = [];
    for (let round = 1; round <= KILL_ROUNDS; round += 1) {
      const { result, moment } = await runAndKill(sandbox, ['push', ...args], {
        signal: 'SIGTERM',
        random,
      });
      moments.push(moment);
      const context = `seed ${SEED + 1}, SIGTERM round ${round} (${moment})`;
      // A signal before push installed its handlers ends the process
      // before anything is sent; one before the first request stops at
      // once (exit 130, a JSON report); after that the run saves and
      // exits 130 with its summary.
      if (result.signal === 'SIGTERM') {
        expect(result.stdout, context).toBe('');
        continue;
      }
      expect([0, 1, 130], `${context}\n${result.stderr}`).toContain(
        result.exitCode,
      );
      const report = JSON.parse(result.stdout) as { code?: string };
      if (report.code === 'push.interruptedBeforeSending') {
        expect(result.exitCode, context).toBe(130);
        continue;
      }
      const summary = report as PushSummaryJson;
      expectCountsAddUp(summary, context);
      expect(summary.reasons.uncertain, context).toBeUndefined();
    }
    const context = `seed ${SEED + 1}, SIGTERM at: ${moments.join('; ')}`;
    const final = await runToCompletion(args, context);

    const { uncertain } = await expectEveryRowOnce({
      sandbox,
      rows,
      final,
      rejectsPath,
      context,
    });
    expect(uncertain, context).toBe(0);
    const stored = countStoredBy(sandbox, refOf);
    for (const row of rows) {
      if (row.brokenReason || REFUSED_REFS.has(row.ref)) continue;
      expect(stored.get(row.ref), `${context}: ${row.ref}`).toBe(1);
    }
  }, 90_000);
});
