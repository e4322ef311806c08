import { AstradialError } from '../../errors.js';
import {
  resolveInputs,
  type VerifyInput,
} from '../../verify/resolve-inputs.js';

export type InputFailure = { name: string; message: string };

/**
 * The inputs named, and those that name nothing (a missing file, a glob
 * that matches nothing), each with why. A missing input is reported with
 * the others' results rather than instead of them, so that a CI job sees
 * every problem in one run. `-` named twice is a usage mistake and stops
 * the run.
 */
export async function resolveEachInput(
  names: string[],
  cwd: string,
): Promise<{ inputs: VerifyInput[]; failures: InputFailure[] }> {
  try {
    return { inputs: await resolveInputs(names, cwd), failures: [] };
  } catch (error) {
    if (!isInputFailure(error)) throw error;
  }
  const found: string[] = [];
  const failures: InputFailure[] = [];
  for (const name of names) {
    try {
      await resolveInputs([name], cwd);
      found.push(name);
    } catch (error) {
      if (!isInputFailure(error)) throw error;
      failures.push({ name, message: error.message });
    }
  }
  const inputs = found.length > 0 ? await resolveInputs(found, cwd) : [];
  return { inputs, failures };
}

function isInputFailure(error: unknown): error is AstradialError {
  return error instanceof AstradialError && error.code !== 'verify.stdinTwice';
}
