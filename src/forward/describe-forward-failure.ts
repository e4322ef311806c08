type ErrorWithCode = Error & { code?: string; cause?: unknown };

/**
 * Says in a few words why a forward got no answer, from the error undici
 * or Node gave (the code may sit on the error or on its cause).
 */
export function describeForwardFailure(error: unknown, target: URL): string {
  const code = findCode(error);
  const where = target.host;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused: is the app running on ${where}?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${target.hostname} was not found`;
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${where} in time`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'the app closed the connection without a complete answer';
  }
  if (code?.startsWith('ERR_SSL')) {
    return `${where} did not answer in TLS (${code}): is it an http:// address?`;
  }
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) {
    return `the TLS connection to ${where} failed (${code}); Node must trust the app's certificate (NODE_EXTRA_CA_CERTS)`;
  }
  return code ?? (error instanceof Error ? error.message : String(error));
}

function findCode(error: unknown): string | undefined {
  let current = error as ErrorWithCode | undefined;
  for (let depth = 0; current && depth < 4; depth += 1) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause as ErrorWithCode | undefined;
  }
  return undefined;
}
