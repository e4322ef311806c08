import type { ForwardOutcome } from '../../forward/forward-outcome.js';
import { ForwardSender } from '../../forward/forward-sender.js';
import { Forwarder } from '../../forward/forwarder.js';
import type { Output } from '../../output.js';
import type { Receiver } from '../../receiver/receiver-server.js';
import type { RequestRecord } from '../../receiver/request-record.js';
import { MASK } from '../../receiver/secret-check.js';
import type { ForwardSettings } from './settings.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The forwarding side of a listen run, once started. */
export interface Forwarding {
  /**
   * Forwards what is still queued, each within --forward-timeout, then
   * closes the connection. Ctrl-C or SIGTERM meanwhile abandons the rest,
   * which are then reported as not forwarded.
   */
  finish(output: Output): Promise<void>;
}

/**
 * Re-sends each accepted event that matches --events to the app, after it
 * was answered. `onOutcome` hears how each forward ended.
 */
export function startForwarding(
  settings: ForwardSettings,
  secret: string,
  receiver: Receiver,
  onOutcome: (record: RequestRecord, forward: ForwardOutcome) => void,
): Forwarding {
  const sender = new ForwardSender({
    url: settings.url,
    timeoutMs: settings.timeoutMs,
    // An app that echoes its request would show the secret in the tail.
    redact: (text) => text.replaceAll(secret, MASK),
    timeoutFlag: '--forward-timeout',
    abortedReason:
      'abandoned in flight when listen was stopped; the app may have received it',
  });
  const forwarder = new Forwarder({
    sender,
    maxQueued: settings.maxQueued,
    onOutcome,
  });
  receiver.onAccepted((record, rawHeaders) => {
    if (record.isMatching !== false) forwarder.forward(record, rawHeaders);
  });

  return {
    async finish(output) {
      if (forwarder.pending > 0) {
        output.info(
          `Forwarding the ${forwarder.pending} events not yet forwarded to ${settings.url.href}. Press Ctrl-C again to abandon them.`,
        );
      }
      const abandon = () => forwarder.abandon();
      for (const signal of SIGNALS) process.on(signal, abandon);
      try {
        await forwarder.drain();
      } finally {
        for (const signal of SIGNALS) process.off(signal, abandon);
        await sender.close();
      }
    },
  };
}
