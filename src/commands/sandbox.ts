import { once } from 'node:events';

import { EXIT_CODES, UsageError, type ExitCode } from '../errors.js';
import { createOutput, type OutputOptions } from '../output.js';
import { resolveSecret } from '../secret.js';
import { startSandbox } from '../sandbox/ingest-sandbox.js';

export interface SandboxFlags extends OutputOptions {
  port: number;
  rateLimit: number;
  secretFile?: string;
}

/**
 * `astradial sandbox`: serves AstraDial's ingest contract on 127.0.0.1 so a
 * push can be rehearsed end to end without touching the platform.
 */
export async function sandbox(flags: SandboxFlags): Promise<ExitCode> {
  const output = createOutput(flags);
  const secret = await resolveSecret({
    secretFile: flags.secretFile,
    environmentSecret: process.env.ASTRADIAL_WEBHOOK_SECRET,
  });
  if (!secret) {
    throw new UsageError(
      'sandbox.noSecret',
      'Give the sandbox the secret to expect: set ASTRADIAL_WEBHOOK_SECRET or pass --secret-file <path>.',
    );
  }

  const server = await startSandbox({
    secret: secret.value,
    port: flags.port,
    rateLimit: flags.rateLimit,
    record: false,
  });
  output.info(
    `Sandbox listening on ${server.url}/<company_code>. Press Ctrl-C to stop.`,
  );
  if (flags.json) output.data(JSON.stringify({ url: server.url }));

  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  await server.close();
  output.info(
    `Sandbox stopped. Answers: ${JSON.stringify(server.statusCounts())}`,
  );
  return EXIT_CODES.ok;
}
