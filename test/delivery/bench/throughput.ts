/**
 * How fast can the delivery engine go when nothing else holds it back?
 * A sandbox without rate limit or latency runs in a child process; the
 * engine pushes JOBS leads at an unreachable rate, and we report jobs/s,
 * the engine process's CPU time and its memory.
 *
 *   npx tsx test/delivery/bench/throughput.ts [jobs] [maxInFlight]
 */
import { performance } from 'node:perf_hooks';

import { DeliveryQueue } from '../../../src/delivery/delivery-queue.js';
import { startChildSandbox } from './child-sandbox.js';

const SECRET = 'bench-secret';
const JOBS = Number(process.argv[2] ?? 50_000);
const MAX_IN_FLIGHT = Number(process.argv[3] ?? 64);

const sandbox = await startChildSandbox({ secret: SECRET, rateLimit: 0, record: false });

let delivered = 0;
let notDelivered = 0;
const queue = new DeliveryQueue<number>(
  { url: `${sandbox.url}/bench`, secret: SECRET, rate: 1_000_000, maxInFlight: MAX_IN_FLIGHT },
  (_job, outcome) => {
    if (outcome.kind === 'delivered') delivered += 1;
    else notDelivered += 1;
  },
);

let peakHeap = 0;
const memoryProbe = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 100);

const cpuBefore = process.cpuUsage();
const startedAt = performance.now();
for (let index = 0; index < JOBS; index += 1) {
  const body = `{"customer_name":"Lead ${index}","phone_number":"+91900${String(index).padStart(7, '0')}"}`;
  await queue.submit({ body, context: index });
}
await queue.finish();
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(memoryProbe);

const report = await sandbox.report();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(JSON.stringify({
  jobs: JOBS,
  maxInFlight: MAX_IN_FLIGHT,
  delivered,
  notDelivered,
  seconds: Number(seconds.toFixed(2)),
  jobsPerSecond: Math.round(JOBS / seconds),
  engineCpuSeconds: Number(cpuSeconds.toFixed(2)),
  engineCpuMicrosecondsPerJob: Number(((cpuSeconds * 1e6) / JOBS).toFixed(1)),
  peakHeapMegabytes: Number((peakHeap / 2 ** 20).toFixed(1)),
  rssMegabytes: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)),
  sandbox: report.statusCounts,
  sandboxCpuSeconds: Number(report.cpuSeconds.toFixed(2)),
}));
