/**
 * If `condition` parsing (Flow JSON ≥ 4.0, Meta "Components" → "If"): the
 * operators of nested expressions without backticks and without
 * concatenation, plus the shape rules Meta reports at upload.
 * @module
 */
import type { Expr, ParseResult } from './expr.js';
import { inferType, type ValueType } from './infer-type.js';
import { parseWith } from './parse-expression.js';
import type { Ref } from './ref.js';
import { refsOf } from './refs-of.js';

/** Meta's wording (sic: "cannot not"), kept verbatim so messages match Meta's. */
export const LITERALS_ON_BOTH_SIDES = 'An operator cannot not have literals on both sides';

/**
 * Parse an If condition. Besides syntax it rejects what Meta rejects before
 * types are known: an empty condition, a condition that is a single literal,
 * an operator with literals on both sides, and a condition with no dynamic
 * value at all. Whether the condition resolves to a boolean needs the
 * screen's types: see {@link checkConditionType}.
 */
export function parseCondition(text: string): ParseResult {
  const quoted = text.indexOf('`');
  if (quoted >= 0 && text.trim().startsWith('`')) {
    return { ok: false, message: "Property 'condition' is written without backticks: remove them around the expression", column: quoted + 1 };
  }
  const parsed = parseWith(text, {
    concat: false,
    offset: 0,
    emptyMessage: "Expected property 'condition' to contain at least one operand",
  });
  if (!parsed.ok) return parsed;
  const expr = parsed.expr;
  if (expr.kind === 'literal') return { ok: false, message: 'The only operand is a literal value', column: expr.start + 1 };
  const both = findLiteralPair(expr);
  if (both) return { ok: false, message: LITERALS_ON_BOTH_SIDES, column: both.start + 1 };
  if (refsOf(expr).length === 0) {
    return { ok: false, message: "Expected property 'condition' to contain at least one dynamic value (${...})", column: expr.start + 1 };
  }
  return parsed;
}

/**
 * Check that a parsed condition resolves to a boolean. A condition that is a
 * single reference gets Meta's own message for that case. Returns undefined
 * when the condition is well-typed.
 */
export function checkConditionType(
  expr: Expr,
  typeOf: (ref: Ref) => ValueType | undefined,
): { message: string; column: number } | undefined {
  const t = inferType(expr, typeOf);
  if (!t.ok) return { message: t.message, column: t.column };
  if (t.type === 'boolean' || t.type === 'unknown') return undefined;
  if (expr.kind === 'ref') return { message: `Expected single operand to be a boolean, but found ${t.type}`, column: expr.start + 1 };
  return { message: `Expected property 'condition' to resolve to a boolean, but found ${t.type}`, column: expr.start + 1 };
}

function findLiteralPair(expr: Expr): Expr | undefined {
  switch (expr.kind) {
    case 'literal':
    case 'ref':
      return undefined;
    case 'unary':
      return findLiteralPair(expr.operand);
    case 'binary':
      if (expr.left.kind === 'literal' && expr.right.kind === 'literal') return expr;
      return findLiteralPair(expr.left) ?? findLiteralPair(expr.right);
    case 'concat':
      for (const p of expr.parts) {
        const found = findLiteralPair(p);
        if (found) return found;
      }
      return undefined;
  }
}
