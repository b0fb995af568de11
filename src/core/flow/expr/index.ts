/**
 * The Flow JSON expression language: references, nested expressions (≥ 6.0)
 * and If conditions (≥ 4.0) — parsing, type checking and evaluation. Pure and
 * browser-safe; shared by the validator and the runtime emulator.
 * @module
 */
export { classifyValue, type PropertyValue, type PropertyValueError } from './classify-value.js';
export { coerce } from './coerce.js';
export { evaluate } from './evaluate.js';
export type { BinaryOp, Expr, ParseResult, UnaryOp } from './expr.js';
export { formatExpr, quoteString } from './format-expr.js';
export { inferType, type TypeResult, type ValueType } from './infer-type.js';
export { checkConditionType, LITERALS_ON_BOTH_SIDES, parseCondition } from './parse-condition.js';
export { parseExpression } from './parse-expression.js';
export { formatRef, parseRef, sameRef, type Ref } from './ref.js';
export { refsInJson, refsOf, type RefUse } from './refs-of.js';
