/**
 * Print an expression back as Flow JSON expression text, with only the
 * parentheses the parser's precedence needs. Used for messages, for the
 * compiler, and to test the parser (parse ∘ format is the identity on trees).
 * @module
 */
import type { BinaryOp, Expr } from './expr.js';
import { formatRef } from './ref.js';

const precedence: Record<BinaryOp, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};
const concatPrecedence = 5;
const unaryPrecedence = 8;
const atomPrecedence = 9;

/** Quote a string literal, escaping `\`, `'` and the backtick. */
export function quoteString(value: string): string {
  return `'${value.replace(/[\\'`]/g, (c) => `\\${c}`)}'`;
}

/**
 * Format `expr` (without surrounding backticks). Number literals must be
 * non-negative and finite, as the parser produces them.
 */
export function formatExpr(expr: Expr): string {
  return print(expr).text;
}

function print(expr: Expr): { text: string; prec: number } {
  switch (expr.kind) {
    case 'literal':
      return { text: typeof expr.value === 'string' ? quoteString(expr.value) : String(expr.value), prec: atomPrecedence };
    case 'ref':
      return { text: formatRef(expr.ref), prec: atomPrecedence };
    case 'unary':
      return { text: expr.op + wrap(expr.operand, unaryPrecedence), prec: unaryPrecedence };
    case 'binary': {
      const p = precedence[expr.op];
      return { text: `${wrap(expr.left, p)} ${expr.op} ${wrap(expr.right, p + 1)}`, prec: p };
    }
    case 'concat': {
      const parts = expr.parts.map((part, i) => {
        const text = wrap(part, concatPrecedence + 1);
        return i > 0 && text.startsWith('-') ? `(${text})` : text;
      });
      return { text: parts.join(' '), prec: concatPrecedence };
    }
  }
}

function wrap(expr: Expr, min: number): string {
  const { text, prec } = print(expr);
  return prec >= min ? text : `(${text})`;
}
