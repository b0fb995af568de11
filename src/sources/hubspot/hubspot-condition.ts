/**
 * HubSpot `dependentFields[].dependentCondition` as a FormModel condition.
 * HubSpot shows the child field when the parent's answer meets the condition
 * (Forms API v3, "dependentFields"); choice answers are compared by option
 * value, which the HubSpot mapper also uses as option id.
 * @module
 */
import type { Condition } from '../../core/form/index.js';

/** What the condition needs to know about the parent field. */
export interface ParentInfo {
  readonly id: string;
  readonly fieldType: string;
  /** Option value → option id (choice parents). */
  readonly optionIds: ReadonlyMap<string, string>;
}

/** The condition, or the reason it cannot be expressed. */
export type HubspotConditionResult = { ok: true; condition: Condition; approximate?: string } | { ok: false; reason: string };

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

function anyOf(conditions: Condition[]): Condition {
  return conditions.length === 1 && conditions[0] ? conditions[0] : { op: 'or', conditions };
}
function allOf(conditions: Condition[]): Condition {
  return conditions.length === 1 && conditions[0] ? conditions[0] : { op: 'and', conditions };
}

/**
 * Translate one dependent condition. Set operators apply to
 * `multiple_checkboxes` parents, comparisons to numbers; text operators
 * (contains, starts with…) and relative dates have no FormModel form.
 */
export function hubspotCondition(raw: unknown, parent: ParentInfo): HubspotConditionResult {
  const c = rec(raw);
  const op = typeof c.operator === 'string' ? c.operator : '';
  const values = (Array.isArray(c.values) ? c.values : c.value === undefined ? [] : [c.value]).map(scalar).filter((v): v is string => v !== undefined);
  const field = parent.id;
  const isChoice = parent.optionIds.size > 0;
  const isMulti = parent.fieldType === 'multiple_checkboxes';
  const isBool = parent.fieldType === 'single_checkbox' || parent.fieldType === 'booleancheckbox';
  const literal = (v: string): string | number | boolean => {
    if (isChoice) return parent.optionIds.get(v) ?? v;
    if (isBool) return v === 'true';
    if (parent.fieldType === 'number' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return v;
  };
  const num = (v: unknown): number | undefined => {
    const s = scalar(v);
    return s !== undefined && s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined;
  };
  const optionIds = values.map((v) => String(literal(v)));
  switch (op) {
    case 'is_not_empty':
      return { ok: true, condition: { op: 'answered', field } };
    case 'eq':
    case 'set_eq':
    case 'set_any':
    case 'set_all': {
      if (values.length === 0) return { ok: false, reason: `operator '${op}' without a value` };
      if (isMulti) {
        const inc = optionIds.map((v): Condition => ({ op: 'includes', field, value: v }));
        if (op === 'set_eq') {
          const others = [...parent.optionIds.values()].filter((id) => !optionIds.includes(id)).map((v): Condition => ({ op: 'excludes', field, value: v }));
          return { ok: true, condition: allOf([...inc, ...others]) };
        }
        return { ok: true, condition: op === 'set_any' || (op === 'eq' && values.length > 1) ? anyOf(inc) : allOf(inc) };
      }
      return { ok: true, condition: anyOf(values.map((v): Condition => ({ op: 'equals', field, value: literal(v) }))) };
    }
    case 'neq':
    case 'set_neq':
    case 'set_not_any':
    case 'set_not_all': {
      if (values.length === 0) return { ok: false, reason: `operator '${op}' without a value` };
      if (isMulti) {
        const exc = optionIds.map((v): Condition => ({ op: 'excludes', field, value: v }));
        if (op === 'set_not_all') return { ok: true, condition: anyOf(exc) };
        if (op === 'set_neq') {
          const inc = optionIds.map((v): Condition => ({ op: 'includes', field, value: v }));
          return { ok: true, condition: { op: 'not', condition: allOf(inc) }, approximate: 'set_neq compared as "not all of these selected"' };
        }
        return { ok: true, condition: allOf(exc) };
      }
      return { ok: true, condition: allOf(values.map((v): Condition => ({ op: 'not_equals', field, value: literal(v) }))) };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const n = num(values[0]);
      if (n === undefined) return { ok: false, reason: `operator '${op}' needs a number, got ${JSON.stringify(values[0] ?? null)}` };
      return { ok: true, condition: { op, field, value: n } };
    }
    case 'between':
    case 'not_between': {
      const lo = num(c.rangeStart ?? values[0]);
      const hi = num(c.rangeEnd ?? values[1]);
      if (lo === undefined || hi === undefined) return { ok: false, reason: `operator '${op}' needs a numeric rangeStart and rangeEnd` };
      const inside: Condition = { op: 'and', conditions: [{ op: 'gte', field, value: lo }, { op: 'lte', field, value: hi }] };
      return { ok: true, condition: op === 'between' ? inside : { op: 'or', conditions: [{ op: 'lt', field, value: lo }, { op: 'gt', field, value: hi }] } };
    }
    default:
      return { ok: false, reason: `operator '${op}' (text or relative-date comparison) has no FormModel equivalent` };
  }
}
