/**
 * CSV records with the line each starts on, reading past malformed rows:
 * csv-parse stops at the first broken quote, so on an error the span from
 * the end of the last good record to the error's line is reported and
 * parsing starts again on the next line. Each restart moves forward at
 * least one line, and a parse stops at its first error, so the work stays
 * proportional to the text.
 * @module
 */
import { CsvError, parse } from 'csv-parse/sync';

/** One record and its first line (1-based). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** A span of lines that is not valid CSV. */
export interface CsvProblem {
  readonly line: number;
  readonly endLine: number;
  readonly message: string;
}

/** The delimiter of the header line: the most frequent of `,`, `;` and tab (spreadsheets in many locales write `;`). */
export function detectDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const counts = [',', ';', '\t'].map((d) => ({ d, n: first.split(d).length - 1 }));
  return counts.reduce((best, c) => (c.n > best.n ? c : best)).d;
}

/** Read every record of `text` (BOM removed, line endings unified); malformed spans go to `problems`. */
export function readCsvRecords(text: string, delimiter: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  // One line ending (CR LF and lone CR → LF), so csv-parse's line count matches ours whatever the file mixes.
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = body.split('\n');
  const lineStarts: number[] = [];
  let at = 0;
  for (const l of lines) {
    lineStarts.push(at);
    at += l.length + 1;
  }
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let from = 1;
  while (from <= lines.length) {
    const base = from - 1;
    let lastEnd = base;
    let lastEmpty = 0;
    try {
      parse(body.slice(lineStarts[base]), {
        delimiter, relax_column_count: true, skip_empty_lines: true, trim: true,
        on_record: (fields: string[], ctx) => {
          records.push({ fields, line: lastEnd + 1 + (ctx.empty_lines - lastEmpty) });
          lastEnd = base + ctx.lines;
          lastEmpty = ctx.empty_lines;
          return null;
        },
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      let line = lastEnd + 1;
      const end = Math.max(line, base + (typeof error.lines === 'number' ? error.lines : 1));
      while (line < end && (lines[line - 1] ?? '').trim() === '') line += 1;
      problems.push({ line, endLine: end, message: error.message.replace(/^[^:]*:\s*/, '') });
      from = end + 1;
    }
  }
  return { records, problems };
}
