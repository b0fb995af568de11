/**
 * Compact storage of where every JSON value sits in its text: five int32 per
 * value in one growable typed array, in document (pre-order) order. Recording
 * positions this way costs a few integer writes per value, so a parse with
 * positions stays close to JSON.parse speed; strings and pointers are only
 * built later, for the few values someone asks about.
 * @module
 */

const STRIDE = 5;
const START = 0;
const END = 1;
const KEY = 2;
const PARENT = 3;
const NEXT = 4;

/** Positions of all values of one JSON text. Node 0 is the root value. */
export class NodeTable {
  private data: Int32Array;
  /** Number of recorded values. */
  count = 0;

  constructor(expectedValues = 64) {
    this.data = new Int32Array(Math.max(16, expectedValues) * STRIDE);
  }

  /**
   * Record a value starting at `start`; `keyStart` is the offset of its
   * member key's opening quote (-1 for array elements and the root).
   * Returns the node index.
   */
  open(start: number, keyStart: number, parent: number): number {
    const index = this.count++;
    let at = index * STRIDE;
    if (at + STRIDE > this.data.length) this.grow();
    const data = this.data;
    data[at++] = start;
    data[at++] = start;
    data[at++] = keyStart;
    data[at] = parent;
    return index;
  }

  /** Close a value: it ends before offset `end`, its subtree is all nodes recorded since it opened. */
  close(index: number, end: number): void {
    const at = index * STRIDE;
    this.data[at + END] = end;
    this.data[at + NEXT] = this.count;
  }

  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }

  /** Offset of the value's first character. */
  start(index: number): number {
    return this.data[index * STRIDE + START] ?? -1;
  }

  /** Offset just after the value's last character. */
  end(index: number): number {
    return this.data[index * STRIDE + END] ?? -1;
  }

  /** Offset of the member key's opening quote, or -1. */
  keyStart(index: number): number {
    return this.data[index * STRIDE + KEY] ?? -1;
  }

  /** The enclosing value's node, or -1 for the root. */
  parent(index: number): number {
    return this.data[index * STRIDE + PARENT] ?? -1;
  }

  /** The node after this one's subtree: its next sibling, if it has one. */
  next(index: number): number {
    return this.data[index * STRIDE + NEXT] ?? this.count;
  }

  /** The direct children of a container node, in document order. */
  *children(index: number): Generator<number> {
    const stop = this.next(index);
    for (let child = index + 1; child < stop; child = this.next(child)) yield child;
  }
}
