import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from './expr.js';
import { formatExpr } from './format-expr.js';
import { parseCondition } from './parse-condition.js';
import { parseExpression } from './parse-expression.js';
import type { Ref } from './ref.js';

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/);
const refArb: fc.Arbitrary<Ref> = fc.oneof(
  fc.record({ kind: fc.constant('data' as const), path: fc.array(segment, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('form' as const), path: fc.array(segment, { minLength: 1, maxLength: 2 }) }),
  fc.record({
    kind: fc.constant('screen' as const),
    screen: fc.stringMatching(/^[A-Z_]{1,8}$/),
    source: fc.constantFrom('data' as const, 'form' as const),
    path: fc.array(segment, { minLength: 1, maxLength: 2 }),
  }),
);
const literal: fc.Arbitrary<Expr> = fc
  .oneof(fc.string({ maxLength: 8 }), fc.nat({ max: 100000 }), fc.nat({ max: 10000 }).map((n) => n / 100), fc.boolean())
  .map((value) => ({ kind: 'literal', value, start: 0 }));
const binaryOps = ['==', '!=', '<', '<=', '>', '>=', '&&', '||', '+', '-', '*', '/', '%'] as const;

/** Random well-formed trees (types are not respected: the parser does not care). */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    refArb.map((ref): Expr => ({ kind: 'ref', ref, start: 0 })),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('!' as const, '-' as const), operand: tie('e'), start: fc.constant(0) }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), left: tie('e'), right: tie('e'), start: fc.constant(0) }),
    fc.record({ kind: fc.constant('concat' as const), parts: fc.array(tie('e'), { minLength: 2, maxLength: 3 }), start: fc.constant(0) }),
  ),
})).e;

/** Remove positions, and flatten a concat part that is itself a concat only when printed in parentheses (never). */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'literal':
      return { lit: e.value };
    case 'ref':
      return { ref: e.ref };
    case 'unary':
      return { op: e.op, x: shape(e.operand) };
    case 'binary':
      return { op: e.op, l: shape(e.left), r: shape(e.right) };
    case 'concat':
      return { cat: e.parts.map(shape) };
  }
}

function leaves(e: Expr): Expr[] {
  switch (e.kind) {
    case 'literal':
    case 'ref':
      return [e];
    case 'unary':
      return [e, ...leaves(e.operand)];
    case 'binary':
      return [...leaves(e.left), ...leaves(e.right)];
    case 'concat':
      return e.parts.flatMap(leaves);
  }
}

describe('parseExpression', () => {
  it('round-trips random well-formed trees through formatExpr', () => {
    fc.assert(
      fc.property(exprArb, (tree) => {
        const text = formatExpr(tree);
        const parsed = parseExpression(text);
        expect(parsed.ok, text).toBe(true);
        if (parsed.ok) expect(shape(parsed.expr)).toEqual(shape(tree));
      }),
      { numRuns: 500 },
    );
  });

  it('records where each leaf and unary operator starts', () => {
    fc.assert(
      fc.property(exprArb, fc.nat({ max: 5 }), (tree, offset) => {
        const text = formatExpr(tree);
        const parsed = parseExpression(text, offset);
        if (!parsed.ok) return false;
        for (const node of leaves(parsed.expr)) {
          const at = text.slice(node.start - offset);
          const printed = node.kind === 'unary' ? node.op : formatExpr(node);
          expect(at.startsWith(printed), `${printed} at ${node.start} in ${text}`).toBe(true);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random input and gives a column inside the text', () => {
    const pieces = ['(', ')', "'", 'a', '1', '.5', ' ', '${data.x}', '${form.y', '${', '}', '==', '=', '!', '&&', '||', '|', '+', '-', '*', '/', '%', '<', '>=', 'true', '`', '\\', '$'];
    const arb = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.constantFrom(...pieces), { maxLength: 20 }).map((p) => p.join('')));
    fc.assert(
      fc.property(arb, fc.nat({ max: 3 }), (text, offset) => {
        for (const r of [parseExpression(text, offset), parseCondition(text)]) {
          if (!r.ok) {
            expect(r.column).toBeGreaterThanOrEqual(1);
            expect(r.column).toBeLessThanOrEqual(text.length + 1 + offset);
            expect(r.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('survives very deep nesting without overflowing the stack', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    const r = parseExpression(deep);
    expect(r.ok).toBe(false);
    expect(parseExpression('!'.repeat(10000) + 'true').ok).toBe(false);
    expect(parseExpression('('.repeat(50) + '1' + ')'.repeat(50)).ok).toBe(true);
  });

  it('uses conventional precedence, with juxtaposition between + - and comparisons', () => {
    const shapeOf = (t: string) => {
      const r = parseExpression(t);
      if (!r.ok) throw new Error(r.message);
      return formatExpr(r.expr);
    };
    const tree = (t: string) => {
      const r = parseExpression(t);
      return r.ok ? shape(r.expr) : r.message;
    };
    expect(tree('1 + 2 * 3')).toEqual(tree('1 + (2 * 3)'));
    expect(tree('1 - 2 - 3')).toEqual(tree('(1 - 2) - 3'));
    expect(tree('${data.a} || ${data.b} && ${data.c}')).toEqual(tree('${data.a} || (${data.b} && ${data.c})'));
    expect(tree('${data.a} == 1 && ${data.b} < 2')).toEqual(tree('(${data.a} == 1) && (${data.b} < 2)'));
    expect(tree("'Born in ' 2024 - ${form.age}")).toEqual(tree("'Born in ' (2024 - ${form.age})"));
    expect(tree("${form.a} ' ' ${form.b} == 'x y'")).toEqual(tree("(${form.a} ' ' ${form.b}) == 'x y'"));
    expect(tree('-${data.a} * 2')).toEqual(tree('(-${data.a}) * 2'));
    expect(tree('!${data.a} && ${data.b}')).toEqual(tree('(!${data.a}) && ${data.b}'));
    expect(shapeOf("  'a'   ${data.x} ")).toBe("'a' ${data.x}");
  });

  it('parses Meta examples', () => {
    for (const t of [
      " 'The sum of ' ${data.number_1} ' and ' ${data.number_2} ' is ' (${data.number_1} + ${data.number_2})",
      "${form.first_name} ' you are ' ${form.age} ' years old.' ",
      '(${form.number} == 42)',
      "'Born in ' (2024 - ${form.age})",
    ]) {
      expect(parseExpression(t).ok, t).toBe(true);
    }
  });

  it('decodes escapes inside string literals', () => {
    const r = parseExpression("'it\\'s a \\` and a \\\\'");
    expect(r.ok && r.expr.kind === 'literal' ? r.expr.value : undefined).toBe("it's a ` and a \\");
  });

  it.each([
    ['', 'Expected the expression to contain at least one operand', 1],
    ['   ', 'Expected the expression to contain at least one operand', 1],
    ['1 + ()', 'Found invalid empty parentheses at column 5', 5],
    ['(1 + 2', 'Missing closing parenthesis for the parenthesis at column 1', 1],
    ['1 + 2)', 'Unexpected closing parenthesis at column 6', 6],
    ["'abc", 'Missing closing quote for the string starting at column 1', 1],
    ['1 +', "Missing operand after operator '+' at column 4", 4],
    ['* 2', "Missing operand before operator '*' at column 1", 1],
    ['1 = 2', "Unexpected character '=' at column 3", 3],
    ['${data.x', "Missing closing '}' for the reference starting at column 1", 1],
    ['${user.x}', "Invalid reference '${user.x}' at column 1", 1],
    ['hello', "Unknown word 'hello' at column 1", 1],
    ["'a`b'", 'Unescaped backtick at column 3', 3],
  ])('reports %j', (text, message, column) => {
    const r = parseExpression(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.column).toBe(column);
    }
  });
});
