/**
 * What kind of value a Flow JSON string property holds (Meta, "Flow JSON" →
 * "Dynamic properties" and "Nested expressions"): static text, one whole
 * `${...}` binding, or (≥ 6.0) a nested expression wrapped in backticks.
 * @module
 */
import type { Expr } from './expr.js';
import { parseExpression } from './parse-expression.js';
import { parseRef, type Ref } from './ref.js';

/** The classification of a string property value. */
export type PropertyValue =
  | { kind: 'static' }
  | { kind: 'binding'; ref: Ref }
  | { kind: 'expression'; expr: Expr };

/** A string that is neither static nor a well-formed binding or expression; `column` is 1-based in the value. */
export type PropertyValueError = { kind: 'error'; message: string; column: number };

/** Most strings are static: one shared, frozen result instead of an object per string. */
const STATIC: PropertyValue = Object.freeze({ kind: 'static' });

/**
 * Classify a string value. A value is static unless it contains `${` or is
 * wrapped in backticks. Static text mixed with a binding is an error (Meta:
 * a property is static or a pure binding unless written as a nested
 * expression). Expression starts and error columns count from the value's
 * first character (the opening backtick is column 1).
 * The version (backticks need ≥ 6.0) is the caller's concern.
 */
export function classifyValue(value: string): PropertyValue | PropertyValueError {
  if (value.length >= 2 && value.startsWith('`') && value.endsWith('`')) {
    const parsed = parseExpression(value.slice(1, -1), 1);
    return parsed.ok ? { kind: 'expression', expr: parsed.expr } : { kind: 'error', message: parsed.message, column: parsed.column };
  }
  const first = value.indexOf('${');
  if (first < 0) return STATIC;
  const ref = parseRef(value);
  if (ref) return { kind: 'binding', ref };
  if (first === 0 && value.endsWith('}') && value.indexOf('${', 2) < 0 && value.indexOf('}') === value.length - 1) {
    return {
      kind: 'error',
      message: `Invalid reference '${value}': use \${data.key}, \${form.name} or \${screen.ID.data|form.name}`,
      column: 1,
    };
  }
  return {
    kind: 'error',
    message: `Static text and a dynamic reference cannot be mixed (reference at column ${first + 1}); wrap the whole value in backticks as a nested expression (Flow JSON 6.0+), e.g. \`'Hello ' \${data.name}\``,
    column: first + 1,
  };
}
