/**
 * Which rate can we send at without ever crossing AstraDial's 60 requests
 * per second? The sandbox limits like the documentation says (60 in any
 * sliding second per address, 429s counted) and answers after 20–200 ms;
 * the engine pushes JOBS leads at each candidate rate.
 *
 *   npx tsx test/delivery/bench/rate-limit.ts [jobs] [runs] [rates…]
 */
import { DeliveryQueue } from '../../../src/delivery/delivery-queue.js';
import { startChildSandbox } from './child-sandbox.js';

const SECRET = 'bench-secret';
const JOBS = Number(process.argv[2] ?? 600);
const RUNS = Number(process.argv[3] ?? 1);
const RATES = process.argv.slice(4).map(Number);

async function measure(rate: number) {
  const sandbox = await startChildSandbox({
    secret: SECRET,
    rateLimit: 60,
    latencyMs: { min: 20, max: 200 },
  });
  let delivered = 0;
  let paused = 0;
  const queue = new DeliveryQueue<number>(
    {
      url: `${sandbox.url}/bench`,
      secret: SECRET,
      rate,
      onEvent: (event) => {
        if (event.type === 'paused') paused += 1;
      },
    },
    (_job, outcome) => {
      if (outcome.kind === 'delivered') delivered += 1;
    },
  );
  for (let index = 0; index < JOBS; index += 1) {
    await queue.submit({ body: `{"customer_name":"Lead ${index}","phone_number":"+919000${String(index).padStart(6, '0')}"}`, context: index });
  }
  await queue.finish();

  const report = await sandbox.report();
  const spanSeconds = (report.lastArrival! - report.firstArrival!) / 1000;
  return {
    rate,
    delivered,
    deliveredPerSecond: Number(((delivered - 1) / spanSeconds).toFixed(2)),
    maxInAnySecond: report.maxRequestsInAnySecond,
    answers429: report.statusCounts[429] ?? 0,
    pauses: paused,
  };
}

for (const rate of RATES.length > 0 ? RATES : [55, 57, 58, 59, 60]) {
  for (let run = 0; run < RUNS; run += 1) {
    console.log(JSON.stringify(await measure(rate)));
  }
}
