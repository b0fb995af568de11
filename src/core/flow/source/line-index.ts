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
  private readonly starts: ArrayLike<number>;

  constructor(private readonly text: string) {
    this.starts = text.indexOf('\r') === -1 ? newlineStarts(text) : mixedLineStarts(text);
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

/** From this length on, line starts go into a typed array: faster to fill, but slower to allocate. */
const TYPED_FROM = 1 << 16;

/** Line starts of a text without `\r`: indexOf is far faster than a char loop on big texts. */
function newlineStarts(text: string): ArrayLike<number> {
  if (text.length < TYPED_FROM) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  let starts = new Int32Array(text.length >>> 5);
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (count === starts.length) {
      const bigger = new Int32Array(count * 2);
      bigger.set(starts);
      starts = bigger;
    }
    starts[count++] = i + 1;
  }
  return starts.subarray(0, count);
}

/** Line starts when lines may also end in `\r\n` or a lone `\r`. */
function mixedLineStarts(text: string): number[] {
  const starts = [0];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
