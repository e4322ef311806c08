import type { ChalkInstance } from 'chalk';

/** Every reporter, the default first, in the order help lists them. */
export const REPORTER_NAMES = ['text', 'json', 'github', 'junit'] as const;

export type ReporterName = (typeof REPORTER_NAMES)[number];

/** Writes a chunk of the report; the chunk carries its own newlines. */
export type WriteReport = (text: string) => void;

export interface ReporterOptions {
  /** stdout in the CLI. */
  write: WriteReport;
  /** Coloured on a terminal, level 0 otherwise; only text uses colour. */
  colors: ChalkInstance;
}
