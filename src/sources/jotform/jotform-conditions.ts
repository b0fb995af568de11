/**
 * Jotform conditions (`GET /form/{id}/properties` → `conditions[]`, with
 * `terms` and `action` as JSON text) as FormModel conditions: `field` Show/Hide
 * become `visibleWhen`, `page` SkipTo become page jumps, `require` Require
 * becomes `requiredWhen` (conditional required). Other condition kinds
 * (calculation, e-mail, thank-you URL) are reported as unmapped.
 * @module
 */
import type { Condition } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';
import type { FieldInput } from './jotform-fields.js';

/** Where a Jotform qid landed in the model. */
export interface QidTarget {
  readonly fields: FieldInput[];
  readonly pageIndex: number;
}

/** What the mapper does with the conditions. */
export interface ConditionSink {
  /** `show`: hidden until a Show rule holds; `hide`: shown unless a Hide rule holds. */
  visibility(qid: string, kind: 'show' | 'hide', when: Condition): void;
  jump(pageIndex: number, when: Condition, to: string): void;
  /** The question becomes required while `when` holds. */
  require(qid: string, when: Condition): void;
}

function parseJsonList(text: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(text)) return text.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object') : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function term(t: Record<string, unknown>, qids: ReadonlyMap<string, QidTarget>): Condition | string {
  const target = qids.get(str(t.field));
  const first = target?.fields.find((f) => f.type !== 'statement') ?? target?.fields[0];
  if (!target || !first) return `term on unknown question '${str(t.field)}'`;
  const op = str(t.operator);
  const value = str(t.value);
  const field = first.id;
  if (op === 'isEmpty') return { op: 'not_answered', field };
  if (op === 'isFilled') return { op: 'answered', field };
  if (op === 'greaterThan' || op === 'lessThan') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) return `'${op}' needs a number, got '${value}'`;
    return { op: op === 'greaterThan' ? 'gt' : 'lt', field, value: n };
  }
  if (op !== 'equals' && op !== 'notEquals' && op !== 'contains' && op !== 'notContains') return `operator '${op}' is not supported`;
  const negate = op === 'notEquals' || op === 'notContains';
  let leaf: Condition;
  if (first.options) {
    const option = first.options.find((o) => o.value === value || o.label === value);
    if (!option) return `'${value}' is not an option of question ${str(t.field)}`;
    leaf = first.type === 'multiple_choice' ? { op: 'includes', field, value: option.id } : { op: 'equals', field, value: option.id };
  } else if (first.type === 'yes_no') {
    leaf = { op: 'equals', field, value: value.toLowerCase() === 'yes' };
  } else if (first.type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) {
    leaf = { op: 'equals', field, value: Number(value) };
  } else if (op === 'contains' || op === 'notContains') {
    return `'${op}' on free text cannot be expressed`;
  } else {
    leaf = { op: 'equals', field, value };
  }
  return negate ? { op: 'not', condition: leaf } : leaf;
}

/** Map every condition; what does not map is pushed to `unmapped` with its pointer. */
export function mapJotformConditions(conditions: unknown, qids: ReadonlyMap<string, QidTarget>, sink: ConditionSink, unmapped: UnmappedItem[], at: string): void {
  if (!Array.isArray(conditions)) return;
  conditions.forEach((raw, i) => {
    const here = `${at}/${i}`;
    const skip = (reason: string): void => void unmapped.push({ pointer: here, reason });
    if (raw === null || typeof raw !== 'object') return skip('Not a condition object.');
    const c = raw as Record<string, unknown>;
    const type = str(c.type);
    if (type !== 'field' && type !== 'page' && type !== 'require') return skip(`Condition type '${type}' (not a show/hide, skip or require) is not represented; the fields keep their static rules.`);
    const terms = parseJsonList(c.terms);
    const actions = parseJsonList(c.action);
    if (!terms || terms.length === 0 || !actions || actions.length === 0) return skip('Terms or actions are not readable JSON lists.');
    const leaves: Condition[] = [];
    for (const t of terms) {
      const leaf = term(t, qids);
      if (typeof leaf === 'string') return skip(`Condition dropped: ${leaf}.`);
      leaves.push(leaf);
    }
    const [only] = leaves;
    const when: Condition = leaves.length === 1 && only ? only : { op: str(c.link).toLowerCase() === 'all' ? 'and' : 'or', conditions: leaves };
    const sourcePage = Math.max(...terms.map((t) => qids.get(str(t.field))?.pageIndex ?? 0));
    actions.forEach((a, ai) => {
      const visibility = str(a.visibility);
      if (type === 'field' && (visibility === 'Show' || visibility === 'Hide')) {
        const target = str(a.field);
        if (!qids.has(target)) return void unmapped.push({ pointer: `${here}/action/${ai}`, reason: `Show/Hide of unknown question '${target}'.` });
        sink.visibility(target, visibility === 'Show' ? 'show' : 'hide', when);
        return;
      }
      if (type === 'require' && visibility === 'Require') {
        const target = str(a.field);
        if (!qids.has(target)) return void unmapped.push({ pointer: `${here}/action/${ai}`, reason: `Require of unknown question '${target}'.` });
        return sink.require(target, when);
      }
      if (type === 'page' && visibility === 'SkipTo') {
        const to = str(a.skipTo);
        const page = /^page-(\d+)$/.exec(to);
        if (page) return sink.jump(sourcePage, when, `page-${page[1]}`);
        if (to === 'end' || to === 'complete') return sink.jump(sourcePage, when, 'end');
        return void unmapped.push({ pointer: `${here}/action/${ai}`, reason: `Skip target '${to}' is not a page.` });
      }
      unmapped.push({ pointer: `${here}/action/${ai}`, reason: `Action '${visibility}' is not represented.` });
    });
  });
}
