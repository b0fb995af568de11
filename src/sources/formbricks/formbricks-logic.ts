/**
 * Formbricks logic conditions (`{connector, conditions[]}` with operands and
 * operators, per `packages/types/surveys/logic.ts`) as FormModel conditions.
 * Operands on variables or dynamic right-hand sides cannot be represented and
 * are reported by returning the reason as a string.
 * @module
 */
import type { Condition } from '../../core/form/index.js';
import type { FieldInput } from './formbricks-fields.js';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const NUMERIC: Record<string, 'gt' | 'lt' | 'gte' | 'lte'> = { isGreaterThan: 'gt', isLessThan: 'lt', isGreaterThanOrEqual: 'gte', isLessThanOrEqual: 'lte' };

function optionId(f: FieldInput, value: unknown): string | undefined {
  const v = str(value);
  return f.options?.find((o) => o.id === v || o.value === v || o.label === v)?.id;
}

function leaf(c: Obj, fieldOf: (id: string) => FieldInput | undefined): Condition | string {
  const left = isObject(c.leftOperand) ? c.leftOperand : {};
  const kind = str(left.type);
  if (kind === 'variable') return 'conditions on variables (calculations) are not represented';
  const f = fieldOf(str(left.value));
  if (!f) return `condition on unknown or unmapped ${kind || 'operand'} '${str(left.value)}'`;
  const op = str(c.operator);
  const right = isObject(c.rightOperand) ? c.rightOperand : undefined;
  if (op === 'isSubmitted' || op === 'isAccepted' || op === 'isClicked' || op === 'isBooked') return op === 'isClicked' || op === 'isBooked' ? `operator '${op}' has no counterpart` : { op: 'answered', field: f.id };
  if (op === 'isSkipped') return { op: 'not_answered', field: f.id };
  if (right && str(right.type) !== 'static') return `a dynamic right-hand side (${str(right.type)}) cannot be expressed`;
  const value = right?.value;
  const numeric = NUMERIC[op];
  if (numeric) {
    const n = typeof value === 'number' ? value : Number(str(value));
    return str(value).trim() !== '' && Number.isFinite(n) ? { op: numeric, field: f.id, value: n } : `'${op}' needs a number`;
  }
  const list = Array.isArray(value) ? value : [value];
  if (op === 'equalsOneOf' || op === 'includesOneOf' || op === 'includesAllOf') {
    const ids = list.map((v) => optionId(f, v));
    if (!f.options || ids.length === 0 || ids.some((i) => i === undefined)) return `'${op}' values are not options of '${f.id}'`;
    const parts = (ids as string[]).map((id): Condition => (f.type === 'multiple_choice' ? { op: 'includes', field: f.id, value: id } : { op: 'equals', field: f.id, value: id }));
    return { op: op === 'includesAllOf' ? 'and' : 'or', conditions: parts };
  }
  if (op !== 'equals' && op !== 'doesNotEqual') return `operator '${op}' is not supported`;
  let c2: Condition;
  if (f.options) {
    const id = optionId(f, value);
    if (!id) return `'${str(value)}' is not an option of '${f.id}'`;
    c2 = f.type === 'multiple_choice' ? { op: 'includes', field: f.id, value: id } : { op: 'equals', field: f.id, value: id };
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    c2 = { op: 'equals', field: f.id, value };
  } else {
    c2 = { op: 'equals', field: f.id, value: str(value) };
  }
  return op === 'doesNotEqual' ? { op: 'not', condition: c2 } : c2;
}

/** A condition group (nestable) as a Condition, or the reason it cannot be one. */
export function formbricksCondition(group: unknown, fieldOf: (id: string) => FieldInput | undefined): Condition | string {
  if (!isObject(group)) return 'no conditions';
  const list = Array.isArray(group.conditions) ? group.conditions : [];
  if (list.length === 0) return 'an empty condition group';
  const parts: Condition[] = [];
  for (const c of list) {
    if (!isObject(c)) return 'a condition that is not an object';
    const r = 'connector' in c && Array.isArray(c.conditions) ? formbricksCondition(c, fieldOf) : leaf(c, fieldOf);
    if (typeof r === 'string') return r;
    parts.push(r);
  }
  const [one] = parts;
  return parts.length === 1 && one ? one : { op: str(group.connector) === 'or' ? 'or' : 'and', conditions: parts };
}
