import {
  findRepeatedKeys,
  type RepeatedKey,
} from '../contract/find-repeated-key.js';
import { isCaptureLine } from './open-capture-line.js';
import type { RecordLocation } from './verify-result.js';

/** One record as read from an input, before anything checks its content. */
export type RawRecord =
  | {
      type: 'value';
      location: RecordLocation;
      value: unknown;
      /** Keys the text gives twice in one object, which JSON.parse hid. */
      repeatedKeys?: RepeatedKey[];
    }
  /**
   * A line or document that is not JSON. `message` is JSON.parse's reason
   * in plain words; `excerpt` is the start of the text (at most 80
   * characters, with an ellipsis if cut).
   */
  | {
      type: 'notJson';
      location: RecordLocation;
      message: string;
      excerpt: string;
    }
  /**
   * The input ended inside a record: its last line has no line end and
   * stops inside a string, object or array. A capture still being written
   * (or cut by a crash) looks like this.
   */
  | { type: 'cutShort'; location: RecordLocation; excerpt: string };

/**
 * The record JSON.parse reads from `text`, with the keys written twice in
 * one of its objects. Throws as JSON.parse does. A capture line's own keys
 * are listen's; its body is looked at when it is opened.
 */
export function parseValueRecord(
  text: string,
  location: RecordLocation,
): RawRecord & { type: 'value' } {
  const value: unknown = JSON.parse(text);
  const repeatedKeys = isCaptureLine(value) ? [] : findRepeatedKeys(text);
  return repeatedKeys.length > 0
    ? { type: 'value', location, value, repeatedKeys }
    : { type: 'value', location, value };
}
