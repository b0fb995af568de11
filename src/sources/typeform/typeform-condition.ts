/**
 * A Typeform logic condition (`{op, vars}`, nestable with `and`/`or`) as a
 * FormModel condition. Choice comparisons use the option id the mapper gave
 * the choice; `always` has no condition. Text operators (`contains`,
 * `begins_with`…), date ordering and score variables have no FormModel form.
 * @module
 */
import type { Condition } from '../../core/form/index.js';
import type { FieldIndex } from './map-typeform-field.js';

/** The condition (`undefined` = always), or why it cannot be expressed. */
export type TypeformConditionResult = { ok: true; condition: Condition | undefined } | { ok: false; reason: string };

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const COMPARE: Record<string, 'lt' | 'lte' | 'gt' | 'gte'> = { lower_than: 'lt', lower_equal_than: 'lte', greater_than: 'gt', greater_equal_than: 'gte' };

/** Translate one condition; `hiddenIds` maps hidden-field names to FormModel ids. */
export function typeformCondition(raw: unknown, index: FieldIndex, hiddenIds: ReadonlyMap<string, string>): TypeformConditionResult {
  const c = rec(raw);
  const op = typeof c.op === 'string' ? c.op : '';
  const vars = Array.isArray(c.vars) ? c.vars.map(rec) : [];
  if (op === 'always') return { ok: true, condition: undefined };
  if (op === 'and' || op === 'or') {
    const parts: Condition[] = [];
    for (const v of vars) {
      const r = typeformCondition(v, index, hiddenIds);
      if (!r.ok) return r;
      if (r.condition) parts.push(r.condition);
      else if (op === 'or') return { ok: true, condition: undefined };
    }
    if (parts.length === 0) return { ok: true, condition: undefined };
    return { ok: true, condition: parts.length === 1 && parts[0] ? parts[0] : { op, conditions: parts } };
  }
  const subject = vars.find((v) => v.type === 'field' || v.type === 'hidden' || v.type === 'variable');
  const object = vars.find((v) => v !== subject);
  if (!subject) return { ok: false, reason: `condition '${op}' names no field` };
  if (subject.type === 'variable') return { ok: false, reason: `condition on the calculated variable '${String(subject.value)}' (scores are not computed)` };
  const ref = String(subject.value);
  const field = subject.type === 'hidden' ? hiddenIds.get(ref) : index.ids.get(ref);
  if (field === undefined) return { ok: false, reason: `condition on '${ref}', which is not a mapped field` };
  let value: string | number | boolean | undefined;
  if (object?.type === 'choice') {
    value = index.choices.get(ref)?.get(String(object.value));
    if (value === undefined) return { ok: false, reason: `choice '${String(object.value)}' is not an option of '${ref}'` };
  } else if (object?.type === 'constant' && ['string', 'number', 'boolean'].includes(typeof object.value)) {
    value = object.value as string | number | boolean;
    const byLabel = index.choices.get(ref);
    if (typeof value === 'string' && byLabel?.has(value)) value = byLabel.get(value);
  }
  if (value === undefined) return { ok: false, reason: `condition '${op}' on '${ref}' compares with nothing usable` };
  const multi = index.multi.has(ref) && typeof value === 'string';
  switch (op) {
    case 'is':
    case 'equal':
    case 'on':
      return { ok: true, condition: multi ? { op: 'includes', field, value: String(value) } : { op: 'equals', field, value } };
    case 'is_not':
    case 'not_equal':
    case 'not_on':
      return { ok: true, condition: multi ? { op: 'excludes', field, value: String(value) } : { op: 'not_equals', field, value } };
    default: {
      const cmp = COMPARE[op];
      if (cmp && typeof value === 'number') return { ok: true, condition: { op: cmp, field, value } };
      return { ok: false, reason: `operator '${op}' has no FormModel equivalent` };
    }
  }
}
