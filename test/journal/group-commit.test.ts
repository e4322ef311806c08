import { describe, expect, test, vi } from 'vitest';

import {
  BUFFERED_WRITE_DELAY_MS,
  GroupCommitLog,
  type AppendOnlyFile,
} from '../../src/journal/group-commit.js';

/**
 * An in-memory file that records each write and counts syncs. With
 * `holdSyncs`, every sync waits until `releaseSyncs()` is called, which
 * keeps a batch "on its way to disk" for as long as a test needs.
 */
class MemoryFile implements AppendOnlyFile {
  writes: string[] = [];
  syncs = 0;
  isClosed = false;
  holdSyncs = false;
  failNextSync: Error | undefined;
  #heldSyncs: Array<() => void> = [];

  get text(): string {
    return this.writes.join('');
  }

  async append(text: string): Promise<void> {
    this.writes.push(text);
  }

  async datasync(): Promise<void> {
    this.syncs += 1;
    if (this.holdSyncs) {
      await new Promise<void>((resolve) => this.#heldSyncs.push(resolve));
    }
    const failure = this.failNextSync;
    this.failNextSync = undefined;
    if (failure) throw failure;
  }

  async close(): Promise<void> {
    this.isClosed = true;
  }

  releaseSyncs(): void {
    for (const release of this.#heldSyncs.splice(0)) release();
  }

  async waitForHeldSync(): Promise<void> {
    while (this.#heldSyncs.length === 0) await nextTurn();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe('durable appends', () => {
  test('64 appends made together share one write and one sync', async () => {
    const file = new MemoryFile();
    const log = new GroupCommitLog(file);
    const lines = Array.from({ length: 64 }, (_, index) => `S ${index + 1}`);

    await Promise.all(lines.map((line) => log.appendDurably(line)));

    expect(file.writes).toEqual([`${lines.join('\n')}\n`]);
    expect(file.syncs).toBe(1);
  });

  test('appends made while a sync runs wait for the next batch', async () => {
    const file = new MemoryFile();
    file.holdSyncs = true;
    const log = new GroupCommitLog(file);
    const settled: string[] = [];
    const track = (line: string) =>
      log.appendDurably(line).then(() => settled.push(line));

    const first = track('S 1');
    await file.waitForHeldSync();
    const later = ['S 2', 'S 3', 'S 4'].map(track);
    await nextTurn();
    expect(settled).toEqual([]);
    expect(file.writes).toEqual(['S 1\n']);

    file.releaseSyncs();
    await first;
    await file.waitForHeldSync();
    expect(settled).toEqual(['S 1']);
    file.releaseSyncs();
    await Promise.all(later);

    expect(file.writes).toEqual(['S 1\n', 'S 2\nS 3\nS 4\n']);
    expect(file.syncs).toBe(2);
  });

  test('a durable append resolves only after its sync', async () => {
    const file = new MemoryFile();
    file.holdSyncs = true;
    const log = new GroupCommitLog(file);
    let isResolved = false;

    const pending = log.appendDurably('S 1').then(() => {
      isResolved = true;
    });
    await file.waitForHeldSync();
    await nextTurn();
    expect(isResolved).toBe(false);

    file.releaseSyncs();
    await pending;
    expect(isResolved).toBe(true);
  });
});

describe('with a shortest interval between syncs', () => {
  test('lines that come within it share the next batch; a line after a quiet spell goes at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const file = new MemoryFile();
      const log = new GroupCommitLog(file, { minSyncIntervalMs: 50 });
      await log.appendDurably('S 1');

      const second = log.appendDurably('S 2');
      await vi.advanceTimersByTimeAsync(20);
      const third = log.appendDurably('S 3');
      await vi.advanceTimersByTimeAsync(20);
      expect(file.writes).toEqual(['S 1\n']);
      await vi.advanceTimersByTimeAsync(10);
      await Promise.all([second, third]);
      expect(file.writes).toEqual(['S 1\n', 'S 2\nS 3\n']);

      await vi.advanceTimersByTimeAsync(100);
      // Resolves with the clock standing still: nothing waits for a timer.
      await log.appendDurably('S 4');
      expect(file.writes).toEqual(['S 1\n', 'S 2\nS 3\n', 'S 4\n']);
      expect(file.syncs).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('buffered appends', () => {
  test('go out with the next batch, in call order', async () => {
    const file = new MemoryFile();
    const log = new GroupCommitLog(file);

    log.append('D 7');
    log.append('R 8 {"reason":"x","detail":"y"}');
    await log.appendDurably('S 9');

    expect(file.text).toBe('D 7\nR 8 {"reason":"x","detail":"y"}\nS 9\n');
    expect(file.syncs).toBe(1);
  });

  test('are written by the timer when no batch comes, without a sync', async () => {
    const file = new MemoryFile();
    const log = new GroupCommitLog(file);

    log.append('D 1');
    log.append('D 2');
    expect(file.writes).toEqual([]);
    await sleep(BUFFERED_WRITE_DELAY_MS * 3);

    expect(file.writes).toEqual(['D 1\nD 2\n']);
    expect(file.syncs).toBe(0);
  });

  test('a prompt one goes out at once with those queued before it, without a sync', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const file = new MemoryFile();
      const log = new GroupCommitLog(file);

      log.append('D 1');
      log.appendPromptly('N 2');
      await vi.advanceTimersByTimeAsync(0);

      expect(file.writes).toEqual(['D 1\nN 2\n']);
      expect(file.syncs).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  test('are written and synced by close', async () => {
    const file = new MemoryFile();
    const log = new GroupCommitLog(file);

    log.append('D 1');
    await log.close();

    expect(file.text).toBe('D 1\n');
    expect(file.syncs).toBe(1);
    expect(file.isClosed).toBe(true);
  });
});

describe('when the file fails', () => {
  test('waiting, later and closing calls all reject with the failure', async () => {
    const file = new MemoryFile();
    const log = new GroupCommitLog(file);
    const failure = new Error('disk full');
    file.failNextSync = failure;

    const results = await Promise.allSettled([
      log.appendDurably('S 1'),
      log.appendDurably('S 2'),
    ]);
    log.append('D 1');

    expect(results).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    await expect(log.appendDurably('S 3')).rejects.toBe(failure);
    await expect(log.close()).rejects.toBe(failure);
    expect(file.isClosed).toBe(true);
    expect(file.text).toBe('S 1\nS 2\n');
  });

  test('a failure while the timer writes is reported by close', async () => {
    const file = new MemoryFile();
    const failure = new Error('read-only file system');
    file.append = async () => {
      throw failure;
    };
    const log = new GroupCommitLog(file);

    log.append('D 1');
    await sleep(BUFFERED_WRITE_DELAY_MS * 3);

    await expect(log.appendDurably('S 2')).rejects.toBe(failure);
    await expect(log.close()).rejects.toBe(failure);
  });
});

test('appending after close is a mistake that throws', async () => {
  const log = new GroupCommitLog(new MemoryFile());
  await log.close();

  expect(() => log.append('D 1')).toThrow(/closed/);
  await expect(log.appendDurably('S 1')).rejects.toThrow(/closed/);
});
