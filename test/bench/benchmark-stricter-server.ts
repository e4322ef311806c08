import path from 'node:path';

import { DEFAULT_RATE } from '../../src/commands/push/defaults.js';
import {
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/ingest-sandbox.js';
import { leadsFile } from './generate-leads.js';
import { missed, print } from './print.js';
import { pushVerified } from './push-to-sandbox.js';

/** Half the documented 60/s: a server, or a shared address, stricter. */
const STRICT_LIMIT = 30;
const ROWS = 900;
const MIN_SHARE_OF_LIMIT = 0.8;
const MAX_TOO_MANY_SHARE = 0.05;

type StrictResult = {
  acceptedRate: number;
  tooManyRequests: number;
  requests: number;
  worstSecond: number;
  summaryRate: number;
};

/**
 * Pushes at the default rate to a sandbox that allows only 30 requests a
 * second, counting per sliding and per fixed second: the CLI should
 * settle near the server's real limit without hammering it with requests
 * that only draw 429s, and still deliver every row exactly once.
 */
export async function benchmarkStricterServer(
  directory: string,
): Promise<void> {
  print(
    `\n## A server stricter than documented: limit ${STRICT_LIMIT}/s, answers in 20-200 ms, ${ROWS} rows at the default --rate ${DEFAULT_RATE}`,
  );
  print(
    `(delivered rate from the sandbox's arrival times of the requests answered 200: (count - 1) / span)`,
  );
  for (const rateWindow of ['sliding', 'fixed'] as const) {
    const result = await measureStrictServer(directory, rateWindow);
    const share = result.acceptedRate / STRICT_LIMIT;
    const tooManyShare = result.tooManyRequests / result.requests;
    print(
      `${rateWindow.padEnd(7)} window: ${result.acceptedRate.toFixed(1)}/s = ${share.toFixed(3)} of ${STRICT_LIMIT}/s ` +
        `(target >= ${MIN_SHARE_OF_LIMIT})${missed(share >= MIN_SHARE_OF_LIMIT)}, ` +
        `429 answers ${result.tooManyRequests} of ${result.requests} requests = ${(tooManyShare * 100).toFixed(1)}% ` +
        `(target <= ${MAX_TOO_MANY_SHARE * 100}%)${missed(tooManyShare <= MAX_TOO_MANY_SHARE)}, ` +
        `most requests in any second ${result.worstSecond}, ` +
        `summary's average ${result.summaryRate}/s; every row delivered once`,
    );
  }
}

async function measureStrictServer(
  directory: string,
  rateWindow: NonNullable<SandboxOptions['rateWindow']>,
): Promise<StrictResult> {
  const file = await leadsFile(directory, ROWS);
  const { run, sandbox } = await pushVerified({
    file,
    rows: ROWS,
    label: `push to a ${rateWindow} window`,
    sandbox: {
      rateLimit: STRICT_LIMIT,
      rateWindow,
      latencyMs: { min: 20, max: 200 },
    },
    // The default rate and the journal on, as a user would run it; each
    // run gets its own journal so it cannot resume the other's.
    flags: ['--state', path.join(directory, `strict-${rateWindow}.push-state`)],
  });
  return {
    acceptedRate: measureAcceptedRate(sandbox, ROWS),
    tooManyRequests: sandbox.statusCounts()[429] ?? 0,
    requests: sandbox.requestCount(),
    worstSecond: sandbox.maxRequestsInAnySecond(),
    summaryRate: run.summary.averageRate,
  };
}

/**
 * Requests answered 200 per second, from the sandbox's arrival times. The
 * sandbox records no status per request, but a lead is sent again only
 * after a 429 (or another answer that kept nothing): once every row is
 * stored exactly once, the last request carrying each body is the one
 * answered 200.
 */
function measureAcceptedRate(sandbox: Sandbox, rows: number): number {
  const acceptedAt = new Map<string, number>();
  for (const request of sandbox.requests) {
    acceptedAt.set(request.body.toString('utf8'), request.receivedAt);
  }
  if (acceptedAt.size !== rows) {
    throw new Error(
      `The sandbox saw ${acceptedAt.size} different bodies for ${rows} rows: the generated rows are no longer all different.`,
    );
  }
  const times = [...acceptedAt.values()];
  const spanSeconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return (times.length - 1) / spanSeconds;
}
