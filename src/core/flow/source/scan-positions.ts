/**
 * Where every value of a JSON text sits, for text JSON.parse has already
 * accepted: the scan can trust the grammar, so it only finds where values
 * start and end (string bodies are skipped with indexOf, nothing is decoded
 * or sliced) and records integers in a {@link NodeTable}. Repeated member
 * keys are found by comparing key hashes within each object; a hash match is
 * confirmed on the decoded keys, so escapes (`"\u0061"` = `"a"`) count.
 * @module
 */
import { JsonCursor } from './json-cursor.js';
import { NodeTable } from './node-table.js';

/** Positions of a valid JSON text. */
export interface ScannedPositions {
  readonly nodes: NodeTable;
  /**
   * Value nodes of repeated members (every occurrence after the first), in
   * the order their values end: the order JSON.parse overwrites them.
   */
  readonly duplicates: number[];
}

/** Objects with more members than this use a set of decoded keys, not pairwise hash comparison. */
const PAIRWISE_LIMIT = 24;

/**
 * Scan `text`, which must be JSON that JSON.parse accepts (anything else
 * gives meaningless positions).
 */
export function scanPositions(text: string): ScannedPositions {
  const nodes = new NodeTable(text.length >>> 5);
  const open = new IntStack();
  const members = new MemberStack(text, nodes);
  let pos = skipWhitespace(text, 0);
  let keyStart = -1;
  for (;;) {
    const node = nodes.open(pos, keyStart, open.top());
    if (keyStart >= 0) members.push(node);
    const c = text.charCodeAt(pos);
    if (c === 123 || c === 91) {
      // Whitespace skipped inline here and after values: the two hottest spots of the scan.
      let next = text.charCodeAt(++pos);
      while (next === 32 || next === 10 || next === 13 || next === 9) next = text.charCodeAt(++pos);
      if (next !== 125 && next !== 93) {
        open.push(node);
        members.openContainer();
        keyStart = c === 123 ? pos : -1;
        if (keyStart >= 0) pos = afterKey(text, keyStart);
        continue;
      }
      pos++;
    } else pos = c === 34 ? endOfString(text, pos) : endOfScalar(text, pos);
    nodes.close(node, pos);
    // Past the value: close the containers ending here, up to the next member or element.
    for (;;) {
      // Inlined whitespace skip: this is the scan's hottest spot (indentation after every value).
      let w = text.charCodeAt(pos);
      while (w === 32 || w === 10 || w === 13 || w === 9) w = text.charCodeAt(++pos);
      const top = open.top();
      if (top < 0) return { nodes, duplicates: members.duplicates.sort((a, b) => nodes.end(a) - nodes.end(b)) };
      const isObject = text.charCodeAt(nodes.start(top)) === 123;
      if (w === 44) {
        pos = skipWhitespace(text, pos + 1);
        keyStart = isObject ? pos : -1;
        if (keyStart >= 0) pos = afterKey(text, keyStart);
        break;
      }
      pos++;
      open.pop();
      members.closeContainer(isObject);
      nodes.close(top, pos);
    }
  }
}

/** A stack of non-negative ints; `top()` is -1 when empty. Popping keeps the slots for reuse. */
class IntStack {
  readonly data: number[] = [];
  size = 0;

  push(value: number): void {
    this.data[this.size++] = value;
  }

  pop(): number {
    return this.size > 0 ? (this.data[--this.size] ?? -1) : -1;
  }

  top(): number {
    return this.size > 0 ? (this.data[this.size - 1] ?? -1) : -1;
  }
}

/** The member value nodes of every open container, innermost last; finds repeated keys as objects close. */
class MemberStack {
  /** Value nodes of repeated members found so far. */
  readonly duplicates: number[] = [];
  private readonly members = new IntStack();
  /** Per open container: where its members start. */
  private readonly bases = new IntStack();
  /** Key hashes of the object being checked (reused). */
  private readonly hashes: number[] = [];

  constructor(
    private readonly text: string,
    private readonly nodes: NodeTable,
  ) {}

  openContainer(): void {
    this.bases.push(this.members.size);
  }

  push(node: number): void {
    this.members.push(node);
  }

  /** Drop the innermost container's members, first recording (for an object) those whose key an earlier member had. */
  closeContainer(isObject: boolean): void {
    const base = this.bases.pop();
    const count = this.members.size - base;
    if (isObject && count > 1) {
      if (count > PAIRWISE_LIMIT) this.bySet(base);
      else this.pairwise(base);
    }
    this.members.size = base;
  }

  private pairwise(base: number): void {
    const { text, hashes } = this;
    const members = this.members.data;
    const end = this.members.size;
    for (let j = base; j < end; j++) {
      const start = this.nodes.keyStart(members[j] ?? 0);
      hashes[j - base] = keyHash(text, start, endOfString(text, start));
    }
    for (let j = base + 1; j < end; j++) {
      for (let i = base; i < j; i++) {
        if (hashes[i - base] === hashes[j - base] && this.keyOf(members[i] ?? 0) === this.keyOf(members[j] ?? 0)) {
          this.duplicates.push(members[j] ?? 0);
          break;
        }
      }
    }
  }

  private bySet(base: number): void {
    const seen = new Set<string>();
    for (let j = base; j < this.members.size; j++) {
      const node = this.members.data[j] ?? 0;
      const key = this.keyOf(node);
      if (seen.has(key)) this.duplicates.push(node);
      seen.add(key);
    }
  }

  private keyOf(node: number): string {
    return new JsonCursor(this.text, this.nodes.keyStart(node)).readString();
  }
}

/** From a member key's opening quote: the offset of its value (past the key, colon and whitespace). */
function afterKey(text: string, quote: number): number {
  return skipWhitespace(text, skipWhitespace(text, endOfString(text, quote)) + 1);
}

function skipWhitespace(text: string, from: number): number {
  let pos = from;
  let c = text.charCodeAt(pos);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++pos);
  return pos;
}

/** A number, `true`, `false` or `null` at `from`: the offset of the next delimiter. */
function endOfScalar(text: string, from: number): number {
  const n = text.length;
  let pos = from;
  for (; pos < n; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9) break;
  }
  return pos;
}

/** Offset just after the string literal whose opening quote is at `quote`. */
function endOfString(text: string, quote: number): number {
  let at = quote;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at + 1;
  }
}

/** Hash of the decoded key between the quotes at `start` and `end - 1`. */
function keyHash(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) return stringHash(new JsonCursor(text, start).readString());
    hash = (Math.imul(hash, 31) + c) | 0;
  }
  return hash;
}

function stringHash(s: string): number {
  let hash = 0;
  for (let i = 0; i < s.length; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
  return hash;
}
