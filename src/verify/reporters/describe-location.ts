import type { RecordLocation } from '../verify-result.js';

/**
 * How reports name standard input. The angle brackets keep it apart from a
 * file that happens to be called `stdin`.
 */
export const STANDARD_INPUT_NAME = '<stdin>';

/** True for "-", the name the user gives standard input. */
export function isStandardInput(file: string): boolean {
  return file === '-';
}

/** The input's name as a person reads it. */
export function describeFile(file: string): string {
  return isStandardInput(file) ? STANDARD_INPUT_NAME : file;
}

/**
 * `file:line`, plus ` [index]` for an element of a JSON array, so editors
 * and terminals that link `file:line` can jump to the record.
 */
export function describeLocation(location: RecordLocation): string {
  const place = `${describeFile(location.file)}:${location.line}`;
  return location.index === undefined ? place : `${place} [${location.index}]`;
}
