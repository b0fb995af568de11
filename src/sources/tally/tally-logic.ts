/**
 * Tally `CONDITIONAL_LOGIC` blocks as FormModel conditions. The payload shape
 * is reverse-engineered (unconfirmed): `{ logicalOperator, conditionals[],
 * actions[] }`; SHOW_BLOCKS/HIDE_BLOCKS become visibility, JUMP_TO_PAGE a
 * jump of the page that holds the logic block (Tally runs logic when the
 * respondent leaves that page). Other actions are reported.
 * @module
 */
import type { Condition } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';
import type { FieldInput } from './tally-fields.js';

/** What the logic mapper acts on. */
export interface TallyLogicSink {
  /** The field for a Tally field uuid (input group uuid). */
  fieldByGroup(uuid: string): FieldInput | undefined;
  /** Fields that one of these block uuids belongs to (title, input or option block). */
  fieldsOfBlocks(uuids: readonly string[]): FieldInput[];
  show(field: FieldInput, when: Condition): void;
  jump(when: Condition, page: number): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const NUMERIC: Record<string, 'gt' | 'lt' | 'gte' | 'lte'> = {
  IS_GREATER_THAN: 'gt', IS_LESS_THAN: 'lt', IS_GREATER_THAN_OR_EQUAL_TO: 'gte', IS_LESS_THAN_OR_EQUAL_TO: 'lte',
  GREATER_THAN: 'gt', LESS_THAN: 'lt', GREATER_OR_EQUAL_THAN: 'gte', LESS_OR_EQUAL_THAN: 'lte',
};

function conditional(c: unknown, sink: TallyLogicSink): Condition | string {
  if (!isObject(c) || !isObject(c.payload)) return 'a conditional without payload';
  const p = c.payload;
  if (str(c.type) === 'GROUP') return group(p.logicalOperator, p.conditionals, sink);
  const ref = isObject(p.field) ? str(p.field.blockGroupUuid) || str(p.field.uuid) : '';
  const f = sink.fieldByGroup(ref);
  if (!f) return `condition on unknown or unmapped field '${ref}'`;
  const cmp = str(p.comparison);
  const raw = p.value;
  if (cmp === 'IS_EMPTY') return { op: 'not_answered', field: f.id };
  if (cmp === 'IS_NOT_EMPTY') return { op: 'answered', field: f.id };
  const numeric = NUMERIC[cmp];
  if (numeric) {
    const v = typeof raw === 'number' ? raw : Number(str(raw));
    return str(raw).trim() !== '' && Number.isFinite(v) ? { op: numeric, field: f.id, value: v } : `'${cmp}' needs a number`;
  }
  const negate = cmp === 'IS_NOT' || cmp === 'NOT_EQUAL' || cmp === 'DOES_NOT_CONTAIN';
  if (!['IS', 'EQUAL', 'IS_NOT', 'NOT_EQUAL', 'CONTAINS', 'DOES_NOT_CONTAIN'].includes(cmp)) return `comparison '${cmp}' is not supported`;
  const values = (Array.isArray(raw) ? raw : [raw]).map(str);
  let leaf: Condition;
  if (f.options) {
    const ids = values.map((v) => f.options?.find((o) => o.id === v || o.label === v)?.id);
    if (ids.length === 0 || ids.some((i) => i === undefined)) return `value '${values.join(', ')}' is not an option`;
    const leaves = (ids as string[]).map((id): Condition => (f.type === 'multiple_choice' ? { op: 'includes', field: f.id, value: id } : { op: 'equals', field: f.id, value: id }));
    const [one] = leaves;
    leaf = leaves.length === 1 && one ? one : { op: f.type === 'multiple_choice' ? 'and' : 'or', conditions: leaves };
  } else if (cmp === 'CONTAINS' || cmp === 'DOES_NOT_CONTAIN') {
    return `'${cmp}' on free text cannot be expressed`;
  } else if (f.type === 'number' || f.type === 'rating' || f.type === 'scale' || f.type === 'nps') {
    const v = Number(values[0]);
    if (!Number.isFinite(v)) return 'a number comparison without a number';
    leaf = { op: 'equals', field: f.id, value: v };
  } else {
    leaf = { op: 'equals', field: f.id, value: values[0] ?? '' };
  }
  return negate ? { op: 'not', condition: leaf } : leaf;
}

function group(operator: unknown, list: unknown, sink: TallyLogicSink): Condition | string {
  if (!Array.isArray(list) || list.length === 0) return 'no conditionals';
  const parts: Condition[] = [];
  for (const c of list) {
    const r = conditional(c, sink);
    if (typeof r === 'string') return r;
    parts.push(r);
  }
  const [one] = parts;
  return parts.length === 1 && one ? one : { op: str(operator).toUpperCase() === 'OR' ? 'or' : 'and', conditions: parts };
}

/** Map one CONDITIONAL_LOGIC block (at `/blocks/{index}`). */
export function mapTallyLogic(payload: Record<string, unknown>, index: number, sink: TallyLogicSink, unmapped: UnmappedItem[]): void {
  const at = `/blocks/${index}/payload`;
  const when = group(payload.logicalOperator, payload.conditionals, sink);
  if (typeof when === 'string') return void unmapped.push({ pointer: at, reason: `Logic dropped: ${when}.` });
  const actions = Array.isArray(payload.actions) ? payload.actions : [];
  actions.forEach((a, i) => {
    const here = `${at}/actions/${i}`;
    const type = isObject(a) ? str(a.type) : '';
    const p = isObject(a) && isObject(a.payload) ? a.payload : {};
    if (type === 'SHOW_BLOCKS' || type === 'HIDE_BLOCKS') {
      const uuids = (Array.isArray(p.showBlocks) ? p.showBlocks : Array.isArray(p.hideBlocks) ? p.hideBlocks : []).map(str);
      const fields = sink.fieldsOfBlocks(uuids);
      if (fields.length === 0) return void unmapped.push({ pointer: here, reason: 'None of the shown/hidden blocks is a mapped field.' });
      for (const f of fields) sink.show(f, type === 'SHOW_BLOCKS' ? when : { op: 'not', condition: when });
      return;
    }
    if (type === 'JUMP_TO_PAGE') {
      const page = typeof p.jumpToPage === 'number' ? p.jumpToPage : Number(str(p.jumpToPage));
      if (!Number.isInteger(page) || page < 1) return void unmapped.push({ pointer: here, reason: `Jump target '${str(p.jumpToPage)}' is not a page number.` });
      return sink.jump(when, page);
    }
    const why = type === 'REQUIRE_ANSWER' ? 'conditional required: the payload shape that names the blocks to require is not documented, so the questions keep their static rule'
      : type === 'CALCULATE' ? 'calculations' : 'unknown action';
    unmapped.push({ pointer: here, reason: `Logic action '${type || '(none)'}' is not represented (${why}).` });
  });
}
