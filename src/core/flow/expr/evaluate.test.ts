import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerce } from './coerce.js';
import { evaluate } from './evaluate.js';
import type { Expr } from './expr.js';
import { inferType, type ValueType } from './infer-type.js';
import { parseExpression } from './parse-expression.js';
import { formatRef, type Ref } from './ref.js';

function run(text: string, values: Record<string, unknown> = {}): unknown {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return evaluate(parsed.expr, (ref: Ref) => values[formatRef(ref)]);
}

describe('evaluate', () => {
  it('computes math', () => {
    expect(run('${data.a} + ${data.b}', { '${data.a}': 10, '${data.b}': 20 })).toBe(30);
    expect(run('${data.a} - ${data.b}', { '${data.a}': 10, '${data.b}': 20 })).toBe(-10);
    expect(run('${data.a} * 3', { '${data.a}': 7 })).toBe(21);
    expect(run('${data.a} / 4', { '${data.a}': 10 })).toBe(2.5);
    expect(run('${data.a} % 4', { '${data.a}': 10 })).toBe(2);
    expect(run('-${data.a}', { '${data.a}': 3 })).toBe(-3);
    expect(run('2024 - ${form.age}', { '${form.age}': '30' })).toBe(1994);
  });

  it('gives 0 for division and modulo by 0 or a missing value (Meta)', () => {
    expect(run('${data.a} / 0', { '${data.a}': 10 })).toBe(0);
    expect(run('${data.a} % 0', { '${data.a}': 10 })).toBe(0);
    expect(run('${data.a} / ${data.b}', { '${data.a}': 10, '${data.b}': null })).toBe(0);
    expect(run('${data.a} % ${data.b}', { '${data.a}': 10 })).toBe(0);
  });

  it('compares with == and != across the client value shapes', () => {
    expect(run("${form.animal} == 'cat'", { '${form.animal}': 'cat' })).toBe(true);
    expect(run("${form.animal} != 'cat'", { '${form.animal}': 'dog' })).toBe(true);
    expect(run('${form.number} == 42', { '${form.number}': '42' })).toBe(true);
    expect(run('${form.number} == 42', { '${form.number}': '42.5' })).toBe(false);
    expect(run('${data.flag} == true', { '${data.flag}': true })).toBe(true);
    expect(run("${screen.S.form.x} != ''", {})).toBe(false);
    expect(run("${screen.S.form.x} == ''", {})).toBe(true);
    expect(run('${form.x} == 0', {})).toBe(false);
  });

  it('compares numbers with < <= > >=, false when an operand is missing or not numeric', () => {
    const v = { '${form.age}': '20' };
    expect(run('${form.age} > 18', v)).toBe(true);
    expect(run('${form.age} >= 20', v)).toBe(true);
    expect(run('${form.age} < 18', v)).toBe(false);
    expect(run('${form.age} <= 20', v)).toBe(true);
    expect(run('${form.age} < 18', {})).toBe(false);
    expect(run('${form.age} > 18', {})).toBe(false);
    expect(run('${form.age} < 18', { '${form.age}': 'abc' })).toBe(false);
  });

  it('applies && || ! to booleans, missing counting as false', () => {
    const v = { '${data.t}': true, '${data.f}': false };
    expect(run('${data.t} && ${data.f}', v)).toBe(false);
    expect(run('${data.t} || ${data.f}', v)).toBe(true);
    expect(run('!${data.f}', v)).toBe(true);
    expect(run('!${data.missing}', v)).toBe(true);
    expect(run('${data.missing} || ${data.t}', v)).toBe(true);
  });

  it('concatenates parts as text', () => {
    expect(run("'Hello ' ${form.first_name}", { '${form.first_name}': 'Ann' })).toBe('Hello Ann');
    expect(run("${data.total} ' / ' ${form.size}", { '${data.total}': 3, '${form.size}': 'L' })).toBe('3 / L');
    expect(run("'Born in ' (2024 - ${form.age})", { '${form.age}': 24 })).toBe('Born in 2000');
    expect(run("'x' ${form.missing} 'y'")).toBe('xy');
    expect(run("'ok: ' ${data.b}", { '${data.b}': false })).toBe('ok: false');
    expect(run("'ids: ' ${form.c}", { '${form.c}': ['a', 'b'] })).toBe('ids: a, b');
  });

  it('evaluates Meta math example per line', () => {
    const v = { '${data.number_1}': 10, '${data.number_2}': 20 };
    expect(run("'The division of ' ${data.number_1} ' by ' ${data.number_2} ' is ' (${data.number_1} / ${data.number_2})", v)).toBe(
      'The division of 10 by 20 is 0.5',
    );
  });
});

describe('coerce', () => {
  it('converts values the way the client does', () => {
    expect(coerce.toNumber(' 12 ')).toBe(12);
    expect(coerce.toNumber('')).toBe(0);
    expect(Number.isNaN(coerce.toNumber('x'))).toBe(true);
    expect(coerce.toBoolean('')).toBe(false);
    expect(coerce.toBoolean([])).toBe(false);
    expect(coerce.toText(undefined)).toBe('');
    expect(coerce.toText({ a: 1 })).toBe('{"a":1}');
    expect(coerce.looseEquals(['a'], ['a'])).toBe(true);
    expect(coerce.looseEquals(true, 'true')).toBe(true);
    expect(coerce.looseEquals(1, true)).toBe(false);
  });
});

describe('evaluate and inferType agree', () => {
  const values: Record<string, unknown> = { s: 'abc', n: 3, z: 0, b: true, a: ['x'], o: { k: 1 } };
  const types: Record<string, ValueType> = { s: 'string', n: 'number', z: 'number', b: 'boolean', a: 'array', o: 'object' };
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    fc.oneof(fc.string({ maxLength: 3 }), fc.nat({ max: 9 }), fc.boolean()).map((value): Expr => ({ kind: 'literal', value, start: 0 })),
    fc.constantFrom(...Object.keys(values), 'missing').map((k): Expr => ({ kind: 'ref', ref: { kind: 'data', path: [k] }, start: 0 })),
  );
  const tree: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('!' as const, '-' as const), operand: tie('e'), start: fc.constant(0) }),
      fc.record({
        kind: fc.constant('binary' as const),
        op: fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '&&', '||', '+', '-', '*', '/', '%' as const),
        left: tie('e'),
        right: tie('e'),
        start: fc.constant(0),
      }),
      fc.record({ kind: fc.constant('concat' as const), parts: fc.array(tie('e'), { minLength: 2, maxLength: 3 }), start: fc.constant(0) }),
    ),
  })).e;
  const key = (ref: Ref) => ref.path[0] ?? '';

  it('never throws, and a well-typed expression evaluates to a value of its type', () => {
    fc.assert(
      fc.property(tree, (e) => {
        const v = evaluate(e, (ref) => values[key(ref)]);
        const t = inferType(e, (ref) => types[key(ref)]);
        if (t.ok && t.type !== 'unknown') expect(Array.isArray(v) ? 'array' : typeof v).toBe(t.type);
      }),
      { numRuns: 1000 },
    );
  });
});
