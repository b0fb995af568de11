/**
 * Evaluation of expressions with the WhatsApp client's semantics (Meta,
 * "Flow JSON" → "Nested expressions"), used by the runtime emulator.
 * @module
 */
import { coerce } from './coerce.js';
import type { Expr } from './expr.js';
import type { Ref } from './ref.js';

/**
 * Evaluate `expr`. `valueOf` returns the current value of a reference
 * (`undefined` when missing). Never throws on odd values; conversions are
 * those of `coerce`. Choices where Meta is silent:
 *
 * - `< <= > >=` with a missing operand are `false` (an empty age is neither
 *   over nor under 18); NaN operands also give `false`;
 * - `== !=`: see `coerce.looseEquals` (missing equals `''`, so
 *   `${screen.X.form.y} != ''` is false until screen X is filled in);
 * - math treats missing as 0; `/` and `%` by 0 or a missing value give 0 (Meta);
 * - `&& || !` convert operands to booleans and return booleans;
 * - concatenation converts each part to text.
 */
export function evaluate(expr: Expr, valueOf: (ref: Ref) => unknown): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'ref':
      return valueOf(expr.ref);
    case 'unary': {
      const v = evaluate(expr.operand, valueOf);
      if (expr.op === '!') return !coerce.toBoolean(v);
      const n = coerce.toNumber(v);
      return n === 0 ? 0 : -n;
    }
    case 'concat':
      return expr.parts.map((p) => coerce.toText(evaluate(p, valueOf))).join('');
    case 'binary':
      break;
  }
  const l = evaluate(expr.left, valueOf);
  const r = evaluate(expr.right, valueOf);
  switch (expr.op) {
    case '&&':
      return coerce.toBoolean(l) && coerce.toBoolean(r);
    case '||':
      return coerce.toBoolean(l) || coerce.toBoolean(r);
    case '==':
      return coerce.looseEquals(l, r);
    case '!=':
      return !coerce.looseEquals(l, r);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(expr.op, l, r);
    case '+':
      return coerce.toNumber(l) + coerce.toNumber(r);
    case '-':
      return coerce.toNumber(l) - coerce.toNumber(r);
    case '*':
      return coerce.toNumber(l) * coerce.toNumber(r);
    case '/':
    case '%': {
      const d = coerce.toNumber(r);
      if (d === 0 || coerce.isMissing(r)) return 0;
      const n = coerce.toNumber(l);
      return expr.op === '/' ? n / d : n % d;
    }
  }
}

function compare(op: '<' | '<=' | '>' | '>=', l: unknown, r: unknown): boolean {
  if (coerce.isMissing(l) || coerce.isMissing(r)) return false;
  const a = coerce.toNumber(l);
  const b = coerce.toNumber(r);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
