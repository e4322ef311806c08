import { Worker } from 'node:worker_threads';

import type { CheckOptions } from '../contract/check-event.js';
import { unpackVerdicts, type CheckedRun } from './checked-run.js';
import type { LineRun } from './parse-line-run.js';
import type { RecordVerdict } from './verify-result.js';

type Job = {
  run: LineRun;
  resolve: (verdicts: RecordVerdict[]) => void;
  reject: (error: unknown) => void;
};

type PoolWorker = { thread: Worker; jobs: Map<number, Job> };

/**
 * Worker threads that parse and check runs of NDJSON lines, so that a big
 * capture is checked on every core: the main thread only reads, cuts and
 * reports. Each run goes to the worker with the fewest runs waiting.
 */
export class CheckPool {
  readonly #workers: PoolWorker[];
  #nextId = 0;

  constructor(size: number, options: CheckOptions) {
    this.#workers = Array.from({ length: size }, () => this.#start(options));
  }

  /**
   * The verdicts of every record of `run`, in order. The run's bytes are
   * moved to the worker: they must fill a buffer of their own, and are
   * empty here afterwards.
   */
  check(run: LineRun): Promise<RecordVerdict[]> {
    const worker = this.#workers.reduce((least, candidate) =>
      candidate.jobs.size < least.jobs.size ? candidate : least,
    );
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      worker.jobs.set(id, { run, resolve, reject });
      // The run's buffer is its own (see joinRuns): moved, not copied.
      worker.thread.postMessage({ id, run }, [run.bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map(({ thread }) => thread.terminate()));
  }

  #start(options: CheckOptions): PoolWorker {
    const thread = new Worker(new URL('./check-worker.js', import.meta.url), {
      workerData: options,
    });
    const worker: PoolWorker = { thread, jobs: new Map() };
    thread.on('message', (message: { id: number; packed: CheckedRun }) => {
      const job = worker.jobs.get(message.id)!;
      worker.jobs.delete(message.id);
      job.resolve(unpackVerdicts(job.run, message.packed));
    });
    thread.on('error', (error) => failAll(worker, error));
    thread.on('exit', (code) => {
      failAll(worker, new Error(`a verify worker thread exited (${code})`));
    });
    return worker;
  }
}

function failAll(worker: PoolWorker, error: unknown): void {
  for (const job of worker.jobs.values()) job.reject(error);
  worker.jobs.clear();
}
