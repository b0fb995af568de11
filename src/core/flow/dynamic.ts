/**
 * Cheap shape checks for dynamic property values, for rules that only need to
 * know whether a value is static. Parsing and type-checking of references and
 * expressions is the job of `expr/`.
 * @module
 */

/** `"${data.x}"`, `"${form.name}"`, `"${screen.S.form.y}"`: a whole-value binding. */
export function isBindingString(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}') && value.indexOf('${', 2) === -1;
}

/** A nested expression (Flow JSON ≥ 6.0): the whole value wrapped in backticks. */
export function isExpressionString(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 2 && value.startsWith('`') && value.endsWith('`');
}

/** True when the value is bound at run time rather than written literally. */
export function isDynamicValue(value: unknown): value is string {
  return isBindingString(value) || isExpressionString(value);
}
