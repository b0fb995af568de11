/**
 * Between neutral answers (FormModel option ids, numbers, booleans, dates)
 * and what a person does in the compiled flow: a runtime script placing each
 * answer on its input, and the reading of a completed `response_json` back
 * into neutral answers. Only the field map's names are used (the flow's
 * interface); the meaning of a value comes from the FormModel.
 * @module
 */
import type { CompileResult } from '../../src/core/compile/compile-form.js';
import type { FieldMapEntry } from '../../src/core/compile/field-map.js';
import type { FormField } from '../../src/core/form/field.js';
import type { FormModel } from '../../src/core/form/form-model.js';
import type { Answers } from './form-paths.js';
import type { Script } from './run-compiled.js';

const flowIdOf = (e: FieldMapEntry, optionId: unknown): string | undefined => e.options?.find((o) => o.optionId === String(optionId))?.flowId;

/** Flow values of one neutral answer, by input name. `null` leaves the input empty. */
function flowValues(e: FieldMapEntry, a: unknown): Record<string, unknown> {
  const name = e.flowName ?? '';
  if (a === null) return e.rows ? Object.fromEntries(e.rows.map((r) => [r.flowName, null])) : { [name]: null };
  if (e.rows && typeof a === 'object') return Object.fromEntries(e.rows.map((r) => [r.flowName, flowIdOf(e, (a as Record<string, unknown>)[r.rowId])]));
  if (e.type === 'yes_no') return { [name]: a === true ? 'yes' : 'no' };
  if (e.type === 'consent') return { [name]: a === true ? true : null };
  if (Array.isArray(a)) return { [name]: a.map((id) => flowIdOf(e, id)) };
  if (e.options) return { [name]: flowIdOf(e, a) };
  if (e.valueType === 'datetime' && typeof a === 'string') return { [name]: a.slice(0, 10), ...(e.timeFlowName ? { [e.timeFlowName]: a.slice(11) } : {}) };
  return { [name]: typeof a === 'number' ? String(a) : a };
}

/** A runtime script giving `answers` (fields the flow does not ask, or answered `undefined`, are left to the runtime). */
export function scriptFor(result: CompileResult, answers: Answers): Script {
  const script: Script = {};
  for (const e of result.fieldMap.fields) {
    const a = answers[e.fieldId];
    if (a === undefined || e.screen === undefined || e.flowName === undefined || e.searchable) continue;
    Object.assign((script[e.screen] ??= {}), flowValues(e, a));
  }
  return script;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** One field's neutral answer from flow values, or `null` when not answered. */
function readField(e: FieldMapEntry, f: FormField, values: Readonly<Record<string, unknown>>): unknown {
  const raw = e.flowName === undefined ? undefined : values[e.flowName];
  const optionOf = (v: unknown): string | undefined => e.options?.find((o) => o.flowId === v)?.optionId;
  if (e.rows) {
    const out = Object.fromEntries(e.rows.flatMap((r) => (optionOf(values[r.flowName]) === undefined ? [] : [[r.rowId, optionOf(values[r.flowName])]])));
    return Object.keys(out).length > 0 ? out : null;
  }
  if (f.type === 'file') return Array.isArray(raw) && raw.length > 0 ? raw : null;
  if (f.type === 'yes_no') return raw === 'yes' ? true : raw === 'no' ? false : null;
  if (f.type === 'consent') return raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : null;
  if (Array.isArray(raw)) return raw.length > 0 ? raw.map(optionOf) : null;
  const t = text(raw);
  if (t === undefined) return null;
  if (f.type === 'rating' || f.type === 'scale' || f.type === 'nps' || f.type === 'number') return Number(e.options ? optionOf(t) : t);
  if (f.type === 'date' || f.type === 'datetime') {
    const d = /^\d{9,}$/u.test(t) ? new Date(Number(t)).toISOString().slice(0, 10) : t;
    const time = e.timeFlowName === undefined ? undefined : text(values[e.timeFlowName]);
    return time === undefined ? d : `${d}T${time}`;
  }
  return e.options ? optionOf(t) : t;
}

/** The neutral answers a completed run gave, by field id (`null` = unanswered). */
export function answersFromRun(result: CompileResult, model: FormModel, values: Readonly<Record<string, unknown>>): Answers {
  const fields = new Map(model.pages.flatMap((p) => p.fields).map((f) => [f.id, f]));
  const out: Answers = {};
  for (const e of result.fieldMap.fields) {
    const f = fields.get(e.fieldId);
    if (f && f.type !== 'hidden' && f.type !== 'statement') out[e.fieldId] = readField(e, f, values);
  }
  return out;
}
