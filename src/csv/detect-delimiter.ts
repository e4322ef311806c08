import { isBlankText } from '../text/invisible.js';
import { CSV_DELIMITERS } from './csv-delimiter.js';

/** Data rows after the header that must agree with the header's shape. */
const CONFIRMING_ROWS = 5;

type Fit = {
  delimiter: string;
  headerCells: number;
  agreeingRows: number;
  strayQuotes: number;
};

/**
 * Picks the delimiter among `, ; tab |` that splits the header into the most
 * cells and gives the first data rows the same number of cells. Quoted cells
 * are honoured, so a comma inside `"Pune, MH"` does not count.
 *
 * `sample` is the start of the decoded file; `isComplete` tells whether it is
 * the whole file, so a record cut off at its end can be ignored. A file whose
 * header has a single column falls back to a comma.
 */
export function detectDelimiter(sample: string, isComplete: boolean): string {
  let best: Fit | undefined;
  for (const delimiter of CSV_DELIMITERS) {
    const fit = measureFit(sample, delimiter, isComplete);
    if (fit && (!best || isBetterFit(fit, best))) best = fit;
  }
  return best?.delimiter ?? ',';
}

function measureFit(
  sample: string,
  delimiter: string,
  isComplete: boolean,
): Fit | undefined {
  const { cellCounts, strayQuotes } = splitSample(
    sample,
    delimiter,
    1 + CONFIRMING_ROWS,
    isComplete,
  );
  const headerCells = cellCounts[0] ?? 0;
  if (headerCells < 2) return undefined;

  const agreeingRows = cellCounts
    .slice(1)
    .filter((count) => count === headerCells).length;
  return { delimiter, headerCells, agreeingRows, strayQuotes };
}

// With the wrong delimiter, quoted cells stop lining up: `"a, b";"c"` split
// on commas leaves quotes in the middle of cells. Then agreement with the
// data rows matters most, since a header can hold a stray comma but five
// rows rarely share it. Earlier candidates win ties.
function isBetterFit(fit: Fit, best: Fit): boolean {
  if (fit.strayQuotes !== best.strayQuotes) {
    return fit.strayQuotes < best.strayQuotes;
  }
  if (fit.agreeingRows !== best.agreeingRows) {
    return fit.agreeingRows > best.agreeingRows;
  }
  return fit.headerCells > best.headerCells;
}

export type SampleSplit = {
  /** Cells in each non-blank record, in order. */
  cellCounts: number[];
  /** Quotes found in the middle of a cell, or closing before other text. */
  strayQuotes: number;
};

/**
 * Splits the first non-blank records of `text` with `delimiter`, following
 * the same quoting rules as the real parser (a quote opens a cell only at
 * its start, `""` inside quotes is a quote), and counts their cells. This
 * runs on a small sample only, so it favours clarity over speed.
 */
export function splitSample(
  text: string,
  delimiter: string,
  limit: number,
  isComplete: boolean,
): SampleSplit {
  const cellCounts: number[] = [];
  let strayQuotes = 0;
  let cells: string[] = [];
  let cell = '';
  let isQuoted = false;
  let isCellStart = true;
  let wasQuoted = false;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    isCellStart = true;
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (!cells.every(isBlankText)) cellCounts.push(cells.length);
    cells = [];
  };

  for (
    let index = 0;
    index < text.length && cellCounts.length < limit;
    index++
  ) {
    const character = text[index]!;
    if (isQuoted) {
      if (character !== '"') {
        cell += character;
      } else if (text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else {
        isQuoted = false;
        wasQuoted = true;
      }
    } else if (character === delimiter) {
      endCell();
    } else if (character === '\r' || character === '\n') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      endRecord();
    } else if (character === '"' && isCellStart) {
      isQuoted = true;
      isCellStart = false;
    } else {
      if (character === '"' || wasQuoted) strayQuotes += 1;
      cell += character;
      isCellStart = false;
      wasQuoted = false;
    }
  }

  const hasOpenRecord = cells.length > 0 || cell !== '' || isQuoted;
  if (isComplete && hasOpenRecord && cellCounts.length < limit) endRecord();
  return { cellCounts, strayQuotes };
}
