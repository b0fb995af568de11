/**
 * Read Flow JSON text (or an already parsed value) into the typed model.
 * The model is the JSON itself: keys are Meta's, nothing is renamed, dropped
 * or defaulted, and unknown keys survive, so `emitFlowJson(parseFlow(x))`
 * round-trips. Only the outline needed to type the value is checked here;
 * everything else is the validator's job (`validateFlow`).
 * @module
 */
import { isObject, jsonTypeOf } from '../json.js';
import type { FlowJson } from './flow.js';

/** Outcome of {@link parseFlow}: the model, or why the input is not a Flow JSON document. */
export type ParseFlowResult =
  | { readonly ok: true; readonly flow: FlowJson }
  | { readonly ok: false; readonly message: string };

/**
 * Parse Flow JSON. A string is parsed as JSON; any other value is deep-copied
 * so later edits to the model never reach the caller's object.
 * @example
 * const parsed = parseFlow(await file.text());
 * if (parsed.ok) console.log(parsed.flow.screens.map((s) => s.id));
 */
export function parseFlow(input: unknown): ParseFlowResult {
  let value: unknown;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, message: `Flow JSON is not valid. ${e instanceof Error ? e.message : ''}`.trim() };
    }
  } else {
    try {
      value = structuredClone(input);
    } catch {
      return { ok: false, message: 'Flow JSON is not valid: the value is not plain JSON data.' };
    }
  }
  return outline(value);
}

function outline(value: unknown): ParseFlowResult {
  if (!isObject(value)) return { ok: false, message: `Expected property (root) to be of type object, but found ${jsonTypeOf(value)}` };
  if (typeof value.version !== 'string') return { ok: false, message: "Required property 'version' is missing or not a string" };
  if (!Array.isArray(value.screens)) return { ok: false, message: "Required property 'screens' is missing or not an array" };
  const badScreen = value.screens.findIndex((s) => !isObject(s));
  if (badScreen >= 0) return { ok: false, message: `Expected property /screens/${badScreen} to be of type object` };
  // The outline matches FlowJson; deeper shapes are the validator's concern.
  return { ok: true, flow: value as unknown as FlowJson };
}
