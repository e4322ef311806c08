import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';

import { UsageError } from '../errors.js';

/** The files of --cert and --key, read. */
export type TlsFiles = {
  certPath: string;
  keyPath: string;
  cert: Buffer;
  key: Buffer;
};

type Problem = { message: string; cause: unknown };

/**
 * Checks, before anything is bound, that --cert holds a certificate, --key
 * a private key, and that the key belongs to the certificate. OpenSSL's own
 * words ("PEM routines::no start line", "key values mismatch") name neither
 * the file nor the fix; the UsageError thrown here names both.
 */
export function verifyTlsPair(files: TlsFiles): void {
  const problem = findProblem(files);
  if (!problem) return;
  throw new UsageError(
    'listen.invalidTls',
    `${problem.message} Pass a PEM certificate with --cert and its unencrypted private key with --key, or neither for plain HTTP.`,
    { cause: problem.cause },
  );
}

function findProblem(files: TlsFiles): Problem | undefined {
  const { certPath, keyPath, cert, key } = files;
  const swapHint = cert.includes('PRIVATE KEY')
    ? ' It holds a private key: are --cert and --key swapped?'
    : '';
  return (
    attempt(
      () => new X509Certificate(cert),
      `--cert ${certPath} is not a PEM certificate.${swapHint}`,
    ) ??
    attempt(
      () => createPrivateKey(key),
      `--key ${keyPath} is not a PEM private key, or is encrypted with a passphrase listen cannot ask for.`,
    ) ??
    attempt(
      () => createSecureContext({ cert, key }),
      (error) =>
        String(error).includes('key values mismatch')
          ? `--key ${keyPath} does not belong to the certificate in --cert ${certPath}.`
          : `--cert ${certPath} and --key ${keyPath} cannot serve HTTPS together (OpenSSL: ${(error as { reason?: string }).reason ?? String(error)}).`,
    )
  );
}

function attempt(
  step: () => unknown,
  describe: string | ((error: unknown) => string),
): Problem | undefined {
  try {
    step();
    return undefined;
  } catch (error) {
    const message = typeof describe === 'string' ? describe : describe(error);
    return { message, cause: error };
  }
}
