/**
 * Read Flow answers back into the FormModel's neutral form (option ids,
 * numbers, booleans, `YYYY-MM-DD` dates), keyed by field id, so the form's
 * own conditions can be evaluated on them (spec §1.13: values as the client
 * sends them).
 * @module
 */
import type { FieldMap, FieldMapEntry } from './field-map.js';

/** A neutral answer: string, number, boolean, option ids, row → option id, or media descriptors. */
export type NeutralAnswer = string | number | boolean | string[] | Record<string, string> | unknown[];

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A date answer as `YYYY-MM-DD`: millisecond timestamps (Flow JSON < 5.0) are converted. */
export function dateAnswer(v: unknown): string | undefined {
  const t = text(v);
  if (t === undefined) return undefined;
  if (/^\d{9,}$/.test(t)) {
    // Beyond the Date range (±8.64e15 ms) there is no day: an invalid answer, not a crash.
    const d = new Date(Number(t));
    return Number.isNaN(d.getTime()) ? t : d.toISOString().slice(0, 10);
  }
  return t;
}

function decode(e: FieldMapEntry, values: Readonly<Record<string, unknown>>): NeutralAnswer | undefined {
  const raw = e.flowName === undefined ? undefined : values[e.flowName];
  const optionOf = (id: unknown): string | undefined => e.options?.find((o) => o.flowId === id)?.optionId;
  switch (e.valueType) {
    case 'string[]': {
      if (!Array.isArray(raw)) return undefined;
      const ids = raw.map(optionOf).filter((x): x is string => x !== undefined);
      return ids.length > 0 ? ids : undefined;
    }
    case 'boolean':
      if (e.type === 'yes_no') return raw === 'yes' ? true : raw === 'no' ? false : undefined;
      return typeof raw === 'boolean' ? raw : raw === 'true' ? true : raw === 'false' ? false : undefined;
    case 'number': {
      const t = text(raw);
      if (t === undefined) return undefined;
      const n = Number(e.options ? (optionOf(t) ?? NaN) : t);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'date':
      return dateAnswer(raw);
    case 'datetime': {
      const d = dateAnswer(raw);
      const t = e.timeFlowName === undefined ? undefined : text(values[e.timeFlowName]);
      return d === undefined ? undefined : t === undefined ? d : `${d}T${t}`;
    }
    case 'object': {
      const out: Record<string, string> = {};
      for (const r of e.rows ?? []) {
        const id = optionOf(values[r.flowName]);
        if (id !== undefined) out[r.rowId] = id;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'media':
      return Array.isArray(raw) && raw.length > 0 ? raw : undefined;
    case 'string':
    case 'time': {
      if (e.options) return optionOf(raw);
      return text(raw);
    }
  }
}

/**
 * Neutral answers by field id from flow values keyed by input name (a
 * `response_json`, or a data_exchange payload). Hidden fields take their
 * default; statements have none.
 */
export function neutralAnswers(fieldMap: FieldMap, values: Readonly<Record<string, unknown>>): Map<string, NeutralAnswer> {
  const out = new Map<string, NeutralAnswer>();
  for (const e of fieldMap.fields) {
    if (e.type === 'statement') continue;
    const v = e.type === 'hidden' ? e.default : decode(e, values);
    if (v !== undefined) out.set(e.fieldId, v);
  }
  return out;
}
