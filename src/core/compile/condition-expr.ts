/**
 * FormModel conditions as Flow JSON expressions (Meta, "Flow JSON" → "Nested
 * expressions" and "Components" → If): the text of an If `condition`, or of a
 * `visible` expression once wrapped in backticks (≥ 6.0). Only what the
 * client can compute is translated: `includes` on a multi-select, or an
 * order comparison on text, returns `undefined` and the caller falls back to
 * the server.
 * @module
 */
import { quoteString } from '../flow/expr/format-expr.js';
import type { Condition, ConditionValue } from '../form/condition.js';

/**
 * How the flow holds a field's answer: `text` strings, `number` (a numeric
 * TextInput), `boolean` (OptIn), `choice` (one option id), `yesno`
 * (option ids `yes`/`no`), `scale` (option ids `"0"`…`"10"`).
 */
export interface ExprOperand {
  ref: string;
  kind: 'text' | 'number' | 'boolean' | 'choice' | 'yesno' | 'scale';
  /** Scale bounds, to expand order comparisons into equalities. */
  min?: number;
  max?: number;
  /** Choice option ids a value may be. */
  optionIds?: readonly string[];
}

function num(n: number): string {
  return n < 0 ? `-${String(-n)}` : String(n);
}

function leaf(op: string, value: ConditionValue | undefined, o: ExprOperand): string | undefined {
  const eq = (v: ConditionValue): string | undefined => {
    switch (o.kind) {
      case 'text':
        return typeof v === 'string' ? `${o.ref} == ${quoteString(v)}` : undefined;
      case 'number':
        return typeof v === 'number' && Number.isFinite(v) ? `${o.ref} == ${num(v)}` : undefined;
      case 'boolean':
        return typeof v === 'boolean' ? `${o.ref} == ${String(v)}` : undefined;
      case 'choice':
        return typeof v === 'string' && (o.optionIds?.includes(v) ?? true) ? `${o.ref} == ${quoteString(v)}` : undefined;
      case 'yesno':
        return typeof v === 'boolean' ? `${o.ref} == ${quoteString(v ? 'yes' : 'no')}` : undefined;
      case 'scale':
        return typeof v === 'number' && Number.isInteger(v) ? `${o.ref} == ${quoteString(String(v))}` : undefined;
    }
  };
  switch (op) {
    case 'equals':
      return value === undefined ? undefined : eq(value);
    case 'not_equals': {
      const e = value === undefined ? undefined : eq(value);
      return e === undefined ? undefined : `!(${e})`;
    }
    case 'answered':
      // An unticked OptIn may be false or absent on the client: only the server can tell.
      return o.kind === 'boolean' || o.kind === 'number' ? undefined : `${o.ref} != ''`;
    case 'not_answered':
      return o.kind === 'boolean' || o.kind === 'number' ? undefined : `${o.ref} == ''`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      if (typeof value !== 'number') return undefined;
      const sym = op === 'lt' ? '<' : op === 'lte' ? '<=' : op === 'gt' ? '>' : '>=';
      // An empty numeric input counts as 0 on the client but as unanswered in the form: only
      // comparisons that are false at 0 agree on both sides.
      if (o.kind === 'number') return (op === 'lt' ? 0 < value : op === 'lte' ? 0 <= value : op === 'gt' ? 0 > value : 0 >= value) ? undefined : `${o.ref} ${sym} ${num(value)}`;
      if (o.kind !== 'scale' || o.min === undefined || o.max === undefined) return undefined;
      const hits: string[] = [];
      for (let v = o.min; v <= o.max; v++) {
        const ok = op === 'lt' ? v < value : op === 'lte' ? v <= value : op === 'gt' ? v > value : v >= value;
        if (ok) hits.push(`${o.ref} == ${quoteString(String(v))}`);
      }
      if (hits.length === 0) return `${o.ref} == 'never'`;
      return hits.map((h) => `(${h})`).join(' || ');
    }
    default:
      return undefined;
  }
}

/**
 * The expression text for `condition`, or `undefined` when some part cannot
 * be computed on the client. `operandOf(fieldId)` says how a field is read
 * (or `undefined` when the client cannot read it at this place).
 * @example
 * conditionToExpr({ op: 'equals', field: 'plan', value: 'pro' }, () => ({ ref: '${form.plan}', kind: 'choice' }))
 * // "${form.plan} == 'pro'"
 */
export function conditionToExpr(condition: Condition, operandOf: (fieldId: string) => ExprOperand | undefined): string | undefined {
  if ('conditions' in condition) {
    const parts = condition.conditions.map((c) => conditionToExpr(c, operandOf));
    if (parts.some((p) => p === undefined)) return undefined;
    if (parts.length === 1) return parts[0];
    return parts.map((p) => `(${p ?? ''})`).join(condition.op === 'and' ? ' && ' : ' || ');
  }
  if ('condition' in condition) {
    const inner = conditionToExpr(condition.condition, operandOf);
    return inner === undefined ? undefined : `!(${inner})`;
  }
  const o = operandOf(condition.field);
  if (!o) return undefined;
  return leaf(condition.op, 'value' in condition ? condition.value : undefined, o);
}
