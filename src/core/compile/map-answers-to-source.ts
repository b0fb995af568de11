/**
 * Turn a completed flow's `response_json` back into the source form's
 * answers: keyed by source key, option source values, hidden fields with
 * their defaults, and only the fields the source form would have submitted
 * on the path taken (spec §6.3: the completion payload).
 * @module
 */
import { isAnswered } from '../form/evaluate-condition.js';
import type { FieldMap, FieldMapEntry } from './field-map.js';
import { neutralAnswers, type NeutralAnswer } from './neutral-answers.js';
import { replayPath } from './replay-path.js';

/** A value as the source system receives it (before its own wire encoding). */
export type SourceValue = string | number | boolean | string[] | Record<string, string> | unknown[];

function sourceValue(e: FieldMapEntry, v: NeutralAnswer, other: string | undefined): SourceValue {
  const valueOf = (id: string): string => (id === '__other__' ? (other ?? '') : (e.options?.find((o) => o.optionId === id)?.sourceValue ?? id));
  if (e.type === 'grid' && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, string> = {};
    for (const r of e.rows ?? []) {
      const id = (v)[r.rowId];
      if (id !== undefined) out[r.key] = valueOf(id);
    }
    return out;
  }
  if (e.valueType === 'string[]' && Array.isArray(v)) return v.map((id) => valueOf(String(id)));
  if (e.options && typeof v === 'string') return valueOf(v);
  return v;
}

/**
 * Map a completed `response_json` (and answers the endpoint received, such
 * as uploaded files, keyed by input name) to source answers keyed by source key.
 * @example
 * mapAnswersToSource(fieldMap, { flow_token: 't', email: 'a@b.c', plan: 'pro' })
 * // { email: 'a@b.c', plan_choice: 'PRO', utm_source: 'whatsapp' }
 */
export function mapAnswersToSource(fieldMap: FieldMap, responseJson: Readonly<Record<string, unknown>>, endpointAnswers: Readonly<Record<string, unknown>> = {}): Record<string, SourceValue> {
  const values = { ...endpointAnswers, ...responseJson };
  const answers = neutralAnswers(fieldMap, values);
  const path = replayPath(fieldMap, answers);
  const out: Record<string, SourceValue> = {};
  for (const e of fieldMap.fields) {
    if (e.type === 'statement') continue;
    if (e.type === 'hidden') {
      if (e.default !== undefined) out[e.sourceKey] = e.default;
      continue;
    }
    if (!path.shownFields.has(e.fieldId)) continue;
    const v = answers.get(e.fieldId);
    if (v === undefined || !isAnswered(v)) continue;
    const other = e.otherFlowName === undefined ? undefined : values[e.otherFlowName];
    out[e.sourceKey] = sourceValue(e, v, typeof other === 'string' ? other : undefined);
  }
  return out;
}
