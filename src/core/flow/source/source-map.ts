/**
 * JSON pointer → source span for a parsed JSON text, answered lazily from the
 * {@link NodeTable} the parser filled. Spans are 1-based and end-exclusive in
 * `column_end`, in the shape of Meta's `validation_errors` (Flow JSON
 * "Validation errors" in the Flows API docs).
 * @module
 */
import { escapePointerSegment, parsePointer, type SourceSpan } from '../finding.js';
import { JsonCursor } from './json-cursor.js';
import { LineIndex } from './line-index.js';
import type { NodeTable } from './node-table.js';

/** Half-open offset range [start, end) into the text. */
export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

/** Where a pointer was found: itself, or its nearest existing ancestor. */
export interface Located {
  /** The pointer that exists (the asked one when `exact`). */
  readonly pointer: string;
  readonly exact: boolean;
  /** The span of the value found. */
  readonly span: SourceSpan;
  /** The span of its member key, when the value found is an object member. */
  readonly keySpan: SourceSpan | undefined;
}

const arrayIndex = /^(?:0|[1-9]\d*)$/;

/** Positions of every value (and member key) of one JSON text. */
export class SourceMap {
  private lines: LineIndex | undefined;
  /** Lazily built child lookups, so many findings in one big container stay linear. */
  private readonly childIndex = new Map<number, number[] | Map<string, number>>();

  constructor(
    readonly text: string,
    private readonly nodes: NodeTable,
  ) {}

  /** The node a pointer names, or -1 when the document has no such value. */
  find(pointer: string): number {
    if (this.nodes.count === 0) return -1;
    let node = 0;
    for (const segment of parsePointer(pointer)) {
      node = this.child(node, segment);
      if (node < 0) return -1;
    }
    return node;
  }

  private child(node: number, segment: string): number {
    let index = this.childIndex.get(node);
    if (!index) {
      index = this.indexChildren(node);
      this.childIndex.set(node, index);
    }
    if (Array.isArray(index)) return arrayIndex.test(segment) ? (index[Number(segment)] ?? -1) : -1;
    return index.get(segment) ?? -1;
  }

  /** Children of a container by position (arrays) or key (objects; the last of duplicates wins, as in JSON.parse). */
  private indexChildren(node: number): number[] | Map<string, number> {
    const open = this.text.charCodeAt(this.nodes.start(node));
    if (open === 91) return [...this.nodes.children(node)];
    const byKey = new Map<string, number>();
    if (open === 123) for (const child of this.nodes.children(node)) byKey.set(this.keyOf(child) ?? '', child);
    return byKey;
  }

  /** The decoded member key of a node, or undefined for array elements and the root. */
  keyOf(node: number): string | undefined {
    const at = this.nodes.keyStart(node);
    return at < 0 ? undefined : new JsonCursor(this.text, at).readString();
  }

  /** Offsets of the value itself. */
  valueRange(pointer: string): OffsetRange | undefined {
    const node = this.find(pointer);
    return node < 0 ? undefined : { start: this.nodes.start(node), end: this.nodes.end(node) };
  }

  /** Offsets of the member key, quotes included (undefined for array elements and the root). */
  keyRange(pointer: string): OffsetRange | undefined {
    const node = this.find(pointer);
    return node < 0 ? undefined : this.keyRangeOfNode(node);
  }

  keyRangeOfNode(node: number): OffsetRange | undefined {
    const start = this.nodes.keyStart(node);
    if (start < 0) return undefined;
    const cursor = new JsonCursor(this.text, start);
    cursor.readString();
    return { start, end: cursor.pos };
  }

  /** Span of the value a pointer names. */
  valueSpan(pointer: string): SourceSpan | undefined {
    const range = this.valueRange(pointer);
    return range && this.spanOf(range);
  }

  /** Span of the member key a pointer names. */
  keySpan(pointer: string): SourceSpan | undefined {
    const range = this.keyRange(pointer);
    return range && this.spanOf(range);
  }

  /**
   * Where a finding at `pointer` belongs: the value it names (Meta's
   * validation errors span the value, e.g. `"TextHeading"` for
   * `…/children/0/type`); when the pointer names something missing (a
   * required key), the nearest existing ancestor.
   */
  locate(pointer: string): Located {
    const segments = parsePointer(pointer);
    if (this.nodes.count === 0) return { pointer: '', exact: false, span: this.spanOf({ start: 0, end: 0 }), keySpan: undefined };
    let node = 0;
    let depth = 0;
    for (; depth < segments.length; depth++) {
      const next = this.child(node, segments[depth] ?? '');
      if (next < 0) break;
      node = next;
    }
    const key = this.keyRangeOfNode(node);
    return {
      pointer: segments.slice(0, depth).map((s) => `/${escapePointerSegment(s)}`).join(''),
      exact: depth === segments.length,
      span: this.spanOf({ start: this.nodes.start(node), end: this.nodes.end(node) }),
      keySpan: key && this.spanOf(key),
    };
  }

  /** Convert offsets to a line/column span. */
  spanOf(range: OffsetRange): SourceSpan {
    this.lines ??= new LineIndex(this.text);
    return this.lines.span(range.start, range.end);
  }

  /** The pointer of a node (built by walking up to the root). */
  pointerOf(node: number): string {
    const parts: string[] = [];
    for (let at = node; at > 0; at = this.nodes.parent(at)) {
      const key = this.keyOf(at);
      if (key !== undefined) parts.push(escapePointerSegment(key));
      else {
        let index = 0;
        for (const sibling of this.nodes.children(this.nodes.parent(at))) {
          if (sibling === at) break;
          index++;
        }
        parts.push(String(index));
      }
    }
    return parts.reverse().map((p) => `/${p}`).join('');
  }

  /** Every pointer of the parsed value, in document order (a key repeated in one object counts once: the last). */
  *pointers(): Generator<string> {
    if (this.nodes.count === 0) return;
    const walk = function* (map: SourceMap, node: number, pointer: string): Generator<string> {
      yield pointer;
      const children = [...map.nodes.children(node)];
      const keys = children.map((child) => map.keyOf(child));
      for (let i = 0; i < children.length; i++) {
        const key = keys[i];
        if (key !== undefined && keys.lastIndexOf(key) !== i) continue;
        yield* walk(map, children[i] ?? 0, `${pointer}/${key === undefined ? i : escapePointerSegment(key)}`);
      }
    };
    yield* walk(this, 0, '');
  }
}
