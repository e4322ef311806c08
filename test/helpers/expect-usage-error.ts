import { expect } from 'vitest';

import { AstradialError, EXIT_CODES } from '../../src/errors.js';

/** Awaits `action` and checks it failed with a usage error of `code`. */
export async function expectUsageError(
  action: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> {
  const error = await action.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(AstradialError);
  expect((error as AstradialError).exitCode).toBe(EXIT_CODES.usage);
  expect((error as AstradialError).code).toBe(code);
  expect((error as AstradialError).message).toMatch(message);
}
