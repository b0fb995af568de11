import { describe, expect, it } from 'vitest';
import { conditionDepth, conditionFields, type Condition } from './condition.js';
import { evaluateCondition, isAnswered } from './evaluate-condition.js';

const answers: Record<string, unknown> = { plan: 'pro', n: '7', tags: ['a', 'b'], ok: false, empty: '' };
const of = (id: string): unknown => answers[id];

describe('evaluateCondition', () => {
  it.each<[Condition, boolean]>([
    [{ op: 'equals', field: 'plan', value: 'pro' }, true],
    [{ op: 'equals', field: 'missing', value: 'pro' }, false],
    [{ op: 'not_equals', field: 'missing', value: 'pro' }, true],
    [{ op: 'equals', field: 'empty', value: '' }, true],
    [{ op: 'gt', field: 'n', value: 5 }, true],
    [{ op: 'lt', field: 'missing', value: 5 }, false],
    [{ op: 'includes', field: 'tags', value: 'b' }, true],
    [{ op: 'excludes', field: 'tags', value: 'c' }, true],
    [{ op: 'equals', field: 'ok', value: false }, true],
    [{ op: 'answered', field: 'ok' }, true],
    [{ op: 'not_answered', field: 'empty' }, true],
    [{ op: 'and', conditions: [{ op: 'answered', field: 'plan' }, { op: 'not', condition: { op: 'gte', field: 'n', value: 8 } }] }, true],
    [{ op: 'or', conditions: [{ op: 'answered', field: 'missing' }, { op: 'lte', field: 'n', value: 6 }] }, false],
  ])('%j → %s', (condition, expected) => {
    expect(evaluateCondition(condition, of)).toBe(expected);
  });

  it('counts answers the way the flow shows them', () => {
    expect([undefined, null, '', []].map(isAnswered)).toEqual([false, false, false, false]);
    expect([0, false, 'x', ['a']].map(isAnswered)).toEqual([true, true, true, true]);
  });

  it('lists the fields a condition reads and its depth', () => {
    const c: Condition = { op: 'or', conditions: [{ op: 'not', condition: { op: 'answered', field: 'a' } }, { op: 'equals', field: 'b', value: 1 }, { op: 'answered', field: 'a' }] };
    expect(conditionFields(c)).toEqual(['a', 'b']);
    expect(conditionDepth(c)).toBe(3);
  });
});
