/**
 * Static type checking of expressions, as Meta does at upload (Meta, "Flow
 * JSON" → "Nested expressions": `==`/`!=` need both sides of the same type,
 * comparisons and math need numbers, `&&`/`||`/`!` need booleans).
 * @module
 */
import type { Expr } from './expr.js';
import type { Ref } from './ref.js';

/** The type of a value as far as expressions are concerned. `unknown` is compatible with everything. */
export type ValueType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'unknown';

/** Result of {@link inferType}; `column` is 1-based (a node's `start` + 1). */
export type TypeResult = { ok: true; type: ValueType } | { ok: false; message: string; column: number };

const comparable = new Set<ValueType>(['string', 'number', 'boolean', 'unknown']);

/**
 * Infer the type of `expr`, or the first type error. `typeOf` gives the type
 * of a reference; `undefined` (an unresolved reference, reported elsewhere)
 * counts as `unknown`, so one mistake gives one finding.
 */
export function inferType(expr: Expr, typeOf: (ref: Ref) => ValueType | undefined): TypeResult {
  const fail = (message: string, node: Expr): TypeResult => ({ ok: false, message, column: node.start + 1 });
  const ok = (type: ValueType): TypeResult => ({ ok: true, type });
  const expect = (node: Expr, want: ValueType, what: string): TypeResult | undefined => {
    const t = inferType(node, typeOf);
    if (!t.ok) return t;
    if (t.type !== want && t.type !== 'unknown') return fail(`${what} expects ${want === 'boolean' ? 'a boolean' : 'a number'}, but found ${t.type}`, node);
    return undefined;
  };
  switch (expr.kind) {
    case 'literal':
      return ok(typeof expr.value === 'string' ? 'string' : typeof expr.value === 'number' ? 'number' : 'boolean');
    case 'ref':
      return ok(typeOf(expr.ref) ?? 'unknown');
    case 'unary': {
      const want = expr.op === '!' ? 'boolean' : 'number';
      return expect(expr.operand, want, `Operator '${expr.op}'`) ?? ok(want);
    }
    case 'concat': {
      for (const part of expr.parts) {
        const t = inferType(part, typeOf);
        if (!t.ok) return t;
        if (!comparable.has(t.type)) return fail(`A value of type ${t.type} cannot be concatenated into a string`, part);
      }
      return ok('string');
    }
    case 'binary':
      break;
  }
  const { op, left, right } = expr;
  switch (op) {
    case '==':
    case '!=': {
      const l = inferType(left, typeOf);
      if (!l.ok) return l;
      const r = inferType(right, typeOf);
      if (!r.ok) return r;
      for (const [t, node] of [[l.type, left], [r.type, right]] as const) {
        if (!comparable.has(t)) return fail(`Operator '${op}' cannot compare values of type ${t}`, node);
      }
      if (l.type !== r.type && l.type !== 'unknown' && r.type !== 'unknown') {
        return fail(`Expected both sides of '${op}' to have the same type, but found ${l.type} and ${r.type}`, expr);
      }
      return ok('boolean');
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (
        expect(left, 'number', `Operator '${op}'`) ??
        expect(right, 'number', `Operator '${op}'`) ??
        ok(op === '+' || op === '-' || op === '*' || op === '/' || op === '%' ? 'number' : 'boolean')
      );
    case '&&':
    case '||':
      return expect(left, 'boolean', `Operator '${op}'`) ?? expect(right, 'boolean', `Operator '${op}'`) ?? ok('boolean');
  }
}
