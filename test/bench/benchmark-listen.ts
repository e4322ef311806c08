import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Pool } from 'undici';

import { median, PROJECT_ROOT } from './measure.js';
import { missed, print } from './print.js';

const CLI = path.join(PROJECT_ROOT, 'bin', 'astradial.js');
const SECRET = 'bench-secret-5b1d';
const CONNECTIONS = 20;
const REQUESTS_PER_ROUND = 20_000;
const WARM_UP_REQUESTS = 2_000;
const ROUNDS = 4;
const MIN_RATIO = 0.5;
const STEADY_RATE = 100;
const STEADY_SECONDS = 10;

/**
 * The bare server the ratio is taken against: node:http answering 200
 * `{"status":"success"}` to every request once its body has arrived, and
 * writing its ready file as listen does.
 */
const BARE_SERVER = `
const { createServer } = require('node:http');
const { renameSync, writeFileSync } = require('node:fs');
const answer = '{"status":"success"}';
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    response.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  const readyFile = process.argv[1];
  writeFileSync(readyFile + '.tmp', JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port }));
  renameSync(readyFile + '.tmp', readyFile);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A server under test, running as a child, and the pool that loads it. */
type Target = { child: ChildProcess; pool: Pool };

/**
 * listen with --capture and no rate limit against a bare node:http server,
 * both children on 127.0.0.1 bound to port 0, under the same closed-loop
 * load of 20 keep-alive connections, in rounds of ABBA order so that a
 * drift in the machine's load hits both alike; then listen's latency at a
 * steady 100 requests a second. Each listen is stopped and its capture
 * counted: it must hold exactly the requests answered 200.
 */
export async function benchmarkListen(directory: string): Promise<void> {
  print(
    `\n## listen --capture --rate-limit 0 vs a bare node:http server: ${CONNECTIONS} keep-alive connections, ${REQUESTS_PER_ROUND.toLocaleString('en')} call logs a round, ${ROUNDS} rounds ABBA`,
  );
  const capturePath = path.join(directory, 'listen-throughput.ndjson');
  const bareReady = path.join(directory, 'bare-ready.json');
  const bare = await startTarget(['-e', BARE_SERVER, bareReady], bareReady);
  const listen = await startListen(directory, 'throughput', capturePath);
  const rates = { bare: [] as number[], listen: [] as number[] };
  let acceptedByListen = 0;
  try {
    await drive(bare, WARM_UP_REQUESTS, 'warm-up');
    acceptedByListen += await drive(listen, WARM_UP_REQUESTS, 'warm-up');
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = [
        { target: bare, rates: rates.bare },
        { target: listen, rates: rates.listen },
      ];
      if (round % 2 === 1) order.reverse();
      for (const { target, rates: measured } of order) {
        const started = performance.now();
        await drive(target, REQUESTS_PER_ROUND, `round-${round}`);
        const seconds = (performance.now() - started) / 1000;
        measured.push(REQUESTS_PER_ROUND / seconds);
        if (target === listen) acceptedByListen += REQUESTS_PER_ROUND;
      }
    }
  } finally {
    await stop(bare);
    await stop(listen);
  }
  await verifyCapture(capturePath, acceptedByListen);

  // Each round's two runs follow each other, so their ratio shares the
  // machine's load of that moment; the median of the rounds' ratios is the
  // figure, and the rates are shown beside it.
  const ratios = rates.listen.map((rate, round) => rate / rates.bare[round]!);
  const ratio = median(ratios);
  const bareRate = median(rates.bare);
  const listenRate = median(rates.listen);
  print(
    `bare node:http:   ${bareRate.toFixed(0)} req/s (median of ${formatRates(rates.bare)})`,
  );
  print(
    `listen --capture: ${listenRate.toFixed(0)} req/s (median of ${formatRates(rates.listen)})`,
  );
  print(
    `throughput ratio listen / bare: ${ratio.toFixed(2)}, median of the rounds' ${ratios.map((value) => value.toFixed(2)).join(', ')} (target >= ${MIN_RATIO})${missed(ratio >= MIN_RATIO)}; ` +
      `the capture holds exactly the ${acceptedByListen.toLocaleString('en')} requests answered 200`,
  );

  await benchmarkSteadyLatency(directory);
}

/**
 * One request every 10 ms for 10 s, each sent at its time whether or not
 * earlier ones were answered (an open loop, as a platform sends), so a
 * slow answer shows as latency instead of slowing the sender.
 */
async function benchmarkSteadyLatency(directory: string): Promise<void> {
  const count = STEADY_RATE * STEADY_SECONDS;
  print(
    `\n## listen --capture latency at a steady ${STEADY_RATE} requests/s for ${STEADY_SECONDS} s (${count} call logs, ${CONNECTIONS} keep-alive connections)`,
  );
  const capturePath = path.join(directory, 'listen-latency.ndjson');
  const listen = await startListen(directory, 'latency', capturePath);
  const latencies: number[] = [];
  try {
    const started = performance.now();
    const sends: Array<Promise<void>> = [];
    for (let index = 0; index < count; index += 1) {
      const due = started + (index * 1000) / STEADY_RATE;
      await sleep(Math.max(0, due - performance.now()));
      sends.push(
        timeRequest(listen, `steady-${index}`).then((ms) => {
          latencies.push(ms);
        }),
      );
    }
    await Promise.all(sends);
  } finally {
    await stop(listen);
  }
  await verifyCapture(capturePath, count);

  const sorted = [...latencies].sort((left, right) => left - right);
  print(
    `p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms ` +
      `(from sending to the whole answer; no target is set); the capture holds all ${count}`,
  );
}

async function startListen(
  directory: string,
  name: string,
  capturePath: string,
): Promise<Target> {
  const readyFile = path.join(directory, `listen-${name}-ready.json`);
  return startTarget(
    [
      CLI,
      'listen',
      '--port',
      '0',
      '--ready-file',
      readyFile,
      '--capture',
      capturePath,
      '--rate-limit',
      '0',
      '--json',
      '--quiet',
    ],
    readyFile,
  );
}

/**
 * Starts `node <args>` and waits for its ready file. The tail goes to
 * /dev/null: it is still written, as a user's would be, without the
 * bench reading it.
 */
async function startTarget(args: string[], readyFile: string): Promise<Target> {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ASTRADIAL_WEBHOOK_SECRET: SECRET },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  while (!existsSync(readyFile)) {
    if (child.exitCode !== null) {
      throw new Error(
        `${args.join(' ')} exited ${child.exitCode} before it was ready.`,
      );
    }
    await sleep(20);
  }
  const { url } = JSON.parse(await readFile(readyFile, 'utf8')) as {
    url: string;
  };
  return {
    child,
    pool: new Pool(url, { connections: CONNECTIONS, pipelining: 1 }),
  };
}

async function stop(target: Target): Promise<void> {
  await target.pool.close();
  const exited = new Promise((resolve) => target.child.once('close', resolve));
  if (target.child.exitCode === null) target.child.kill('SIGTERM');
  await exited;
}

/** Sends `count` call logs over all connections at once, each waiting for its answer. */
async function drive(
  target: Target,
  count: number,
  label: string,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await timeRequest(target, `${label}-${next}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return count;
}

/** Milliseconds from sending one call log to the end of its answer, which must be 200. */
async function timeRequest(target: Target, callId: string): Promise<number> {
  const started = performance.now();
  const answer = await target.pool.request({
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET },
    body: callLog(callId),
  });
  await answer.body.text();
  if (answer.statusCode !== 200) {
    throw new Error(
      `A call log was answered ${answer.statusCode}, not 200: the benchmark measures only accepted events.`,
    );
  }
  return performance.now() - started;
}

function callLog(callId: string): string {
  return JSON.stringify({
    call_id: `c-bench-${callId}`,
    duration: 95,
    direction: 'inbound',
    caller_id_number: '+919000012501',
    call_to_number: '+918000099001',
    bot_type: 'voice_streaming',
  });
}

/** A benchmark that loses events measures nothing: count them. */
async function verifyCapture(
  capturePath: string,
  accepted: number,
): Promise<void> {
  const lines = (await readFile(capturePath, 'utf8'))
    .split('\n')
    .filter(Boolean);
  const captured = lines.filter(
    (line) => (JSON.parse(line) as { status: number }).status === 200,
  ).length;
  if (captured !== accepted || lines.length !== accepted) {
    throw new Error(
      `The capture ${capturePath} holds ${captured} lines answered 200 (${lines.length} in all) for ${accepted} requests answered 200.`,
    );
  }
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

function formatRates(rates: number[]): string {
  return rates.map((rate) => rate.toFixed(0)).join(', ');
}
