/**
 * Runs a sandbox in its own process for the delivery benchmarks, so the
 * engine's CPU time is measured without the server's. Options arrive as
 * JSON in argv[2]; the URL goes back over IPC, and a 'report' message gets
 * the counters back before the child exits.
 */
import { startSandbox, type SandboxOptions } from '../../../src/sandbox/ingest-sandbox.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions;
const sandbox = await startSandbox({ ...options, host: '127.0.0.1' });
process.send?.({ url: sandbox.url });

process.on('message', async (message) => {
  if (message !== 'report') return;
  const times = sandbox.requests.map((request) => request.receivedAt);
  process.send?.({
    requestCount: sandbox.requestCount(),
    statusCounts: sandbox.statusCounts(),
    maxRequestsInAnySecond: sandbox.maxRequestsInAnySecond(),
    firstArrival: times[0],
    lastArrival: times.at(-1),
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  await sandbox.close();
  process.disconnect();
});
