/**
 * The references an expression reads, and the references inside any JSON
 * value (e.g. an action payload), for checks that need to know what a value
 * reads.
 * @module
 */
import { childPointer } from '../finding.js';
import { isObject } from '../json.js';
import { classifyValue } from './classify-value.js';
import type { Expr } from './expr.js';
import { formatRef, type Ref } from './ref.js';

/** Every distinct reference in `expr`, in order of first appearance. */
export function refsOf(expr: Expr): Ref[] {
  const seen = new Set<string>();
  const out: Ref[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop();
    if (e === undefined) break;
    switch (e.kind) {
      case 'literal':
        break;
      case 'ref': {
        const key = formatRef(e.ref);
        if (!seen.has(key)) {
          seen.add(key);
          out.push(e.ref);
        }
        break;
      }
      case 'unary':
        stack.push(e.operand);
        break;
      case 'binary':
        stack.push(e.right, e.left);
        break;
      case 'concat':
        for (let i = e.parts.length - 1; i >= 0; i--) {
          const p = e.parts[i];
          if (p) stack.push(p);
        }
        break;
    }
  }
  return out;
}

/** One reference found in a JSON value. */
export interface RefUse {
  readonly ref: Ref;
  /** JSON pointer of the string holding it (relative to the pointer passed in). */
  readonly pointer: string;
  /** Whether the string is a whole-value binding or a nested expression. */
  readonly via: 'binding' | 'expression';
}

/**
 * Every reference in `value`, recursing into arrays and objects, in document
 * order. Strings that are malformed bindings or expressions contribute
 * nothing (use `classifyValue` to report them).
 */
export function refsInJson(value: unknown, pointer = ''): RefUse[] {
  const out: RefUse[] = [];
  collectRefs(value, pointer, 0, out);
  return out;
}

/** The walk of {@link refsInJson}: module-level, so no closure is created per call. */
function collectRefs(v: unknown, at: string, depth: number, out: RefUse[]): void {
  if (depth > 256) return;
  if (typeof v === 'string') {
    const c = classifyValue(v);
    if (c.kind === 'binding') out.push({ ref: c.ref, pointer: at, via: 'binding' });
    else if (c.kind === 'expression') for (const ref of refsOf(c.expr)) out.push({ ref, pointer: at, via: 'expression' });
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) collectRefs(v[i], `${at}/${i}`, depth + 1, out);
  } else if (isObject(v)) {
    for (const [k, item] of Object.entries(v)) collectRefs(item, childPointer(at, k), depth + 1, out);
  }
}
