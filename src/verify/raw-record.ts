import type { RecordLocation } from './verify-result.js';

/** One record as read from an input, before anything checks its content. */
export type RawRecord =
  | { type: 'value'; location: RecordLocation; value: unknown }
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
