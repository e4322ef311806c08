import { onOutputClosed } from '../../closed-output.js';
import type { Receiver } from '../../receiver/receiver-server.js';
import type { RequestRecord } from '../../receiver/request-record.js';
import type { ListenSettings } from './settings.js';
import type { ListenTally } from './tally.js';

/** Why a listen run ended. */
export type ListenEnd =
  | { outcome: 'stopped'; signal: string }
  | { outcome: 'countReached' }
  | { outcome: 'timedOut' }
  | { outcome: 'invalidEvent'; record: RequestRecord }
  | { outcome: 'captureFailed'; error: Error }
  | { outcome: 'outputClosed' };

/** A closed terminal (SIGHUP) stops listen as gracefully as Ctrl-C. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Resolves with the first reason to stop: Ctrl-C, SIGTERM or SIGHUP, --count
 * matching events, --timeout, an invalid event under --expect-valid, a
 * capture that cannot be written, or an output pipe whose reader left.
 */
export function waitForEnd(
  receiver: Receiver,
  tally: ListenTally,
  settings: ListenSettings,
): Promise<ListenEnd> {
  return new Promise((resolve) => {
    let hasEnded = false;
    const cleanups: Array<() => void> = [];
    const end = (reason: ListenEnd) => {
      if (hasEnded) return;
      hasEnded = true;
      for (const cleanup of cleanups) cleanup();
      resolve(reason);
    };

    for (const signal of SIGNALS) {
      const onSignal = () => end({ outcome: 'stopped', signal });
      process.on(signal, onSignal);
      cleanups.push(() => process.off(signal, onSignal));
    }
    if (settings.timeoutMs !== undefined) {
      const timer = setTimeout(
        () => end({ outcome: 'timedOut' }),
        settings.timeoutMs,
      );
      // The server holds the process open; should binding fail, the timer
      // must not hold it for the whole --timeout.
      timer.unref();
      cleanups.push(() => clearTimeout(timer));
    }
    cleanups.push(onOutputClosed(() => end({ outcome: 'outputClosed' })));
    receiver.onFailure((error) => end({ outcome: 'captureFailed', error }));
    receiver.onDecided((record) => {
      const isMatchingEvent = record.event && record.isMatching !== false;
      // A body refused as not JSON (400 without a kind) is no valid event.
      const isBrokenBody = record.status === 400 && !record.event;
      const isInvalid =
        isBrokenBody || (isMatchingEvent && !record.event?.isValid);
      if (settings.expectValid && isInvalid) {
        end({ outcome: 'invalidEvent', record });
        return;
      }
      if (settings.count !== undefined && tally.matching >= settings.count) {
        end({ outcome: 'countReached' });
      }
    });
  });
}
