import { getSystemErrorMap } from 'node:util';

/** True for errors from the operating system, such as EACCES or ENOSPC. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).errno === 'number'
  );
}

/** "permission denied (EACCES)", without the path and syscall Node adds. */
export function describeSystemError(error: unknown): string {
  if (!isSystemError(error) || error.errno === undefined) {
    return error instanceof Error ? error.message : String(error);
  }
  const entry = getSystemErrorMap().get(error.errno);
  if (!entry) return error.message;
  const [name, words] = entry;
  return `${words} (${name})`;
}
