import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../flow/expr/evaluate.js';
import { parseCondition } from '../flow/expr/parse-condition.js';
import type { Condition } from '../form/condition.js';
import { evaluateCondition } from '../form/evaluate-condition.js';
import { conditionToExpr, type ExprOperand } from './condition-expr.js';

const operands: Record<string, Omit<ExprOperand, 'ref'>> = {
  t: { kind: 'text' },
  n: { kind: 'number' },
  b: { kind: 'boolean' },
  c: { kind: 'choice', optionIds: ['a', 'b', 'c'] },
  y: { kind: 'yesno' },
  s: { kind: 'scale', min: 0, max: 10 },
};
const operandOf = (id: string): ExprOperand | undefined => {
  const o = operands[id];
  return o ? { ...o, ref: `\${form.${id}}` } : undefined;
};

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ op: fc.constantFrom('equals' as const, 'not_equals' as const), field: fc.constant('t'), value: fc.constantFrom('x', 'y', '') }),
  fc.record({ op: fc.constantFrom('equals' as const, 'not_equals' as const), field: fc.constant('c'), value: fc.constantFrom('a', 'b', 'c') }),
  fc.record({ op: fc.constantFrom('equals' as const, 'not_equals' as const), field: fc.constantFrom('b', 'y'), value: fc.boolean() }),
  fc.record({ op: fc.constantFrom('lt' as const, 'lte' as const, 'gt' as const, 'gte' as const, 'equals' as const), field: fc.constantFrom('n', 's'), value: fc.integer({ min: -2, max: 12 }) }),
  fc.record({ op: fc.constantFrom('answered' as const, 'not_answered' as const), field: fc.constantFrom('t', 'n', 'b', 'c', 'y', 's') }),
);
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { maxDepth: 4, depthSize: 'small' },
    leaf,
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), conditions: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ op: fc.constant('not' as const), condition: tie('c') }),
  ),
})).c;

/** Flow values (as the client holds them) and the neutral answers the form logic sees. */
const answers = fc.record({
  t: fc.constantFrom(undefined, '', 'x', 'y'),
  n: fc.constantFrom(undefined, '', '0', '3', '10', '-1'),
  b: fc.constantFrom(undefined, true, false),
  c: fc.constantFrom(undefined, 'a', 'b', 'c'),
  y: fc.constantFrom(undefined, 'yes', 'no'),
  s: fc.constantFrom(undefined, '0', '5', '10'),
});

function neutral(flow: Record<string, unknown>, id: string): unknown {
  const v = flow[id];
  if (id === 'y') return v === 'yes' ? true : v === 'no' ? false : undefined;
  if ((id === 'n' || id === 's') && typeof v === 'string' && v !== '') return Number(v);
  return v;
}

describe('conditionToExpr', () => {
  it('writes comparisons the way Meta documents them', () => {
    expect(conditionToExpr({ op: 'equals', field: 'c', value: 'a' }, operandOf)).toBe("${form.c} == 'a'");
    expect(conditionToExpr({ op: 'gt', field: 'n', value: 5 }, operandOf)).toBe('${form.n} > 5');
    expect(conditionToExpr({ op: 'not', condition: { op: 'equals', field: 'y', value: true } }, operandOf)).toBe("!(${form.y} == 'yes')");
    expect(conditionToExpr({ op: 'includes', field: 'c', value: 'a' }, operandOf)).toBeUndefined();
    expect(conditionToExpr({ op: 'lt', field: 'n', value: 5 }, operandOf)).toBeUndefined();
    expect(conditionToExpr({ op: 'answered', field: 'zz' }, operandOf)).toBeUndefined();
  });

  it('agrees with the form logic on every answer, when it translates at all (property)', () => {
    fc.assert(
      fc.property(condition, answers, (cond, values) => {
        const text = conditionToExpr(cond, operandOf);
        if (text === undefined) return;
        const parsed = parseCondition(text);
        expect(parsed.ok, text).toBe(true);
        if (!parsed.ok) return;
        const flowValues: Record<string, unknown> = values;
        const onClient = evaluate(parsed.expr, (ref) => flowValues[ref.path[0] ?? ''] ?? undefined);
        const inForm = evaluateCondition(cond, (id) => neutral(flowValues, id));
        expect(onClient === true, `${text} with ${JSON.stringify(values)}`).toBe(inForm);
      }),
      { numRuns: 2000 },
    );
  });
});
