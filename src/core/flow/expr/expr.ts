/**
 * The syntax tree of Flow JSON nested expressions (≥6.0, in backticks) and
 * If conditions (≥4.0), shared by the validator and the runtime emulator
 * (Meta, "Flow JSON" → "Nested expressions"; "Components" → "If").
 * @module
 */
import type { Ref } from './ref.js';

/** Operators taking two operands. */
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '+' | '-' | '*' | '/' | '%';

/** Operators taking one operand. */
export type UnaryOp = '!' | '-';

/**
 * An expression node. `start` is the offset (0-based, in the text given to
 * the parser plus its offset) of the node's first character, so findings can
 * point at a column. A binary node starts where its left operand starts.
 * Number literals are never negative: `-1` is a unary minus on `1`.
 */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean; start: number }
  | { kind: 'ref'; ref: Ref; start: number }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; start: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; start: number }
  /** Juxtaposed operands (`'Hi ' ${form.name}`): string concatenation, ≥2 parts. */
  | { kind: 'concat'; parts: Expr[]; start: number };

/** Result of parsing; `column` is 1-based in the text (plus offset) given to the parser. */
export type ParseResult = { ok: true; expr: Expr } | { ok: false; message: string; column: number };
