import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

import { toCaptureLine } from '../../src/receiver/request-record.js';
import { measureNode, megabytes, median, PROJECT_ROOT } from './measure.js';
import { missed, print } from './print.js';

const CLI = path.join(PROJECT_ROOT, 'bin', 'astradial.js');
const BASELINE = path.join(
  PROJECT_ROOT,
  'test',
  'bench',
  'baseline-parse-lines.ts',
);
const LINES = 1_000_000;
const ROUNDS = 2;
const MIN_RATIO = 0.4;

/**
 * verify on a 1,000,000-line listen capture of call logs against reading
 * the same file and JSON.parse of each line alone, in ABBA order; and
 * verify's peak memory, which must not grow with the file.
 */
export async function benchmarkVerify(directory: string): Promise<void> {
  print(
    `\n## verify on a ${LINES.toLocaleString('en')}-line capture vs reading it and JSON.parse of each line alone, ${ROUNDS} rounds ABBA`,
  );
  const file = path.join(directory, 'verify-capture.ndjson');
  const bytes = await writeCapture(file, LINES);
  print(`capture: ${megabytes(bytes)}`);

  const seconds = { baseline: [] as number[], verify: [] as number[] };
  const peaks: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = [runBaseline, runVerify];
    if (round % 2 === 1) order.reverse();
    for (const step of order) await step();
  }
  const baseline = median(seconds.baseline);
  const verify = median(seconds.verify);
  const ratio = baseline / verify;
  print(
    `baseline: ${(LINES / baseline).toFixed(0)} lines/s (${baseline.toFixed(2)} s)`,
  );
  print(
    `verify:   ${(LINES / verify).toFixed(0)} lines/s (${verify.toFixed(2)} s)`,
  );
  print(
    `speed ratio verify / baseline: ${ratio.toFixed(2)} (target >= ${MIN_RATIO})${missed(ratio >= MIN_RATIO)}`,
  );
  print(`verify peak memory: ${megabytes(Math.max(...peaks))}`);

  async function runBaseline() {
    const run = await measureNode(['--import', 'tsx', BASELINE, file]);
    if (Number(run.stdout) !== LINES) {
      throw new Error(`the baseline parsed ${run.stdout.trim()} lines`);
    }
    seconds.baseline.push(run.seconds);
  }

  async function runVerify() {
    const run = await measureNode([CLI, 'verify', file, '--json', '--quiet']);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      valid: number;
    };
    if (run.exitCode !== 0 || summary.valid !== LINES) {
      throw new Error(
        `verify exited ${run.exitCode} with ${summary.valid} valid records: ${run.stderr}`,
      );
    }
    seconds.verify.push(run.seconds);
    peaks.push(run.peakBytes);
  }
}

/** Writes `lines` capture lines as listen writes them; returns the size. */
async function writeCapture(file: string, lines: number): Promise<number> {
  const stream = createWriteStream(file);
  let bytes = 0;
  const started = Date.parse('2026-12-04T10:00:00Z');
  for (let index = 0; index < lines; index += 1) {
    const line = `${toCaptureLine(callLogRecord(index, started))}\n`;
    bytes += Buffer.byteLength(line);
    if (!stream.write(line)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  return bytes;
}

function callLogRecord(index: number, started: number) {
  const callId = `c-2026-${String(index).padStart(7, '0')}`;
  const event = {
    call_id: callId,
    duration: index % 600,
    recording_url: `https://recordings.example.com/${callId}.mp3`,
    direction: index % 2 === 0 ? 'inbound' : 'outbound',
    caller_id_number: `+9190000${String(index % 100_000).padStart(5, '0')}`,
    call_to_number: '+919000099001',
    bot_type: 'voice_streaming',
    answered_agent: { number: '+919000088001' },
    call_flow: [{ type: 'voice-streaming', dialst: 'Answered' }],
  };
  const body = Buffer.from(JSON.stringify(event));
  return {
    receivedAt: new Date(started + index * 20).toISOString(),
    remoteAddress: '127.0.0.1',
    method: 'POST',
    path: '/',
    headers: {
      host: '127.0.0.1:8787',
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-webhook-secret': '[masked]',
      'user-agent': 'AstraDial-Webhooks/1.0',
    },
    status: 200,
    body,
    parsed: event,
    event: { kind: 'call_log' as const, isValid: true, problems: [] },
    isMatching: true,
  };
}
