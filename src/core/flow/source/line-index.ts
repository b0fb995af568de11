/**
 * Offset → line/column conversion for source positions. Built once per text,
 * only when a position is actually asked for (a valid flow never pays for it).
 * Lines end at `\n`, `\r\n` or a lone `\r`; columns count UTF-16 code units,
 * as editors (VS Code, Monaco — which Meta's Flow Builder uses) do.
 * @module
 */
import type { SourceSpan } from '../finding.js';

/** A 1-based line and column. */
export interface LinePosition {
  readonly line: number;
  readonly column: number;
}

/** Line-start offsets of a text, with binary search from offset to line. */
export class LineIndex {
  private readonly starts: Int32Array;

  constructor(private readonly text: string) {
    const starts: number[] = [0];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = Int32Array.from(starts);
  }

  /** Number of lines (an empty text has one). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** The 1-based line and column of a 0-based offset (clamped to the text). */
  position(offset: number): LinePosition {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (starts[lo] ?? 0) + 1 };
  }

  /**
   * The span of the half-open offset range [start, end): `column_end` is the
   * column just after the last character (Monaco's end-exclusive convention).
   */
  span(start: number, end: number): SourceSpan {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { line_start: from.line, column_start: from.column, line_end: to.line, column_end: to.column };
  }

  /** The 0-based offset of a 1-based line and column (inverse of {@link position}). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))] ?? 0;
    return Math.min(this.text.length, start + column - 1);
  }

  /** The text a span covers (inverse of {@link span}). */
  slice(span: SourceSpan): string {
    return this.text.slice(this.offset(span.line_start, span.column_start), this.offset(span.line_end, span.column_end));
  }
}
