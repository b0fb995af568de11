/**
 * The answers a submission is delivered with, frozen when the session
 * completes: the source form's answers from `mapAnswersToSource` with the
 * flow's field map, or, for a hand-written Flow JSON without a form, the
 * completion's params minus `flow_token`.
 * @module
 */
import { mapAnswersToSource, type SourceValue } from '../../core/compile/map-answers-to-source.js';
import { formModelSchema, type FormModel } from '../../core/form/index.js';
import type { CatalogueFlow } from '../flow-catalogue.js';

/** The response_json's params as an object (anything else: none). */
export function parseResponseParams(responseJson: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(responseJson);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Source-keyed answers of a completion of `flow` (or of an unknown flow: the raw params). */
export function answersOf(flow: Pick<CatalogueFlow, 'fieldMap'> | undefined, responseJson: string): Record<string, SourceValue> {
  const params = parseResponseParams(responseJson);
  if (flow?.fieldMap !== undefined) return mapAnswersToSource(flow.fieldMap, params);
  const out: Record<string, SourceValue> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === 'flow_token' || value === null || value === undefined) continue;
    out[key] = value as SourceValue;
  }
  return out;
}

/** The form a sink sees: the flow's own, or for a hand-written flow a form with no fields named after it. */
export function formOf(flow: Pick<CatalogueFlow, 'form' | 'id' | 'name'>): FormModel {
  return flow.form ?? formModelSchema.parse({ id: flow.id, title: flow.name || flow.id, pages: [{ id: 'flow', fields: [] }] });
}
