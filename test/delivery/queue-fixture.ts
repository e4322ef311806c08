import { afterEach } from 'vitest';

import {
  DeliveryQueue,
  type DeliveryEvent,
  type DeliveryJob,
  type DeliveryOptions,
  type DeliveryOutcome,
} from '../../src/delivery/delivery-queue.js';
import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../src/sandbox/ingest-sandbox.js';

export const SECRET = 'Tst-Secret-8f3b2c';

export type Row = { line: number };
export type Settled = { job: DeliveryJob<Row>; outcome: DeliveryOutcome };

/** Lead bodies for lines 2, 3, …, as a CSV would give them. */
export function leadJobs(count: number): DeliveryJob<Row>[] {
  return Array.from({ length: count }, (_unused, index) => ({
    body: JSON.stringify({
      customer_name: `Lead ${index + 2}`,
      phone_number: `+9190000124${String(index).padStart(2, '0')}`,
    }),
    context: { line: index + 2 },
  }));
}

/**
 * Per-test sandboxes on 127.0.0.1 and queues pointed at them, all closed
 * after each test. Nothing here knows any other address.
 */
export function useQueueFixture() {
  const sandboxes: Sandbox[] = [];
  afterEach(async () => {
    await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
  });

  async function sandbox(
    options: Partial<SandboxOptions> = {},
  ): Promise<Sandbox> {
    const started = await startSandbox({
      secret: SECRET,
      rateLimit: 0,
      ...options,
    });
    sandboxes.push(started);
    return started;
  }

  function queue(url: string, options: Partial<DeliveryOptions<Row>> = {}) {
    const settled: Settled[] = [];
    const events: DeliveryEvent<Row>[] = [];
    const created = new DeliveryQueue<Row>(
      {
        url,
        secret: SECRET,
        rate: 50,
        backoff: { baseMs: 5, capMs: 20 },
        onEvent: (event) => events.push(event),
        ...options,
      },
      (job, outcome) => settled.push({ job, outcome }),
    );
    return { queue: created, settled, events };
  }

  /** Submits every job, awaiting room each time, then finishes. */
  async function deliver(
    url: string,
    jobs: DeliveryJob<Row>[],
    options: Partial<DeliveryOptions<Row>> = {},
  ) {
    const run = queue(url, options);
    for (const job of jobs) await run.queue.submit(job);
    await run.queue.finish();
    return run;
  }

  return { sandbox, queue, deliver };
}

/** Whatever the queue reported must never contain the secret. */
export function reportedText(run: {
  settled: Settled[];
  events: unknown[];
}): string {
  return JSON.stringify([
    run.settled.map((entry) => entry.outcome),
    run.events,
  ]);
}
