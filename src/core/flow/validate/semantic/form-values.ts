/**
 * A Form's `init-values` and `error-messages` (Meta, "Components" → "Form";
 * "Error codes" → "Native component errors"; changelog 7.0 "type-checks
 * init-values"; spec §1.7).
 * @module
 */
import type { Rule, RuleContext } from '../context.js';
import { childPointer } from '../../finding.js';
import { isDynamicValue } from '../../dynamic.js';
import { isObject, jsonTypeOf, type JsonObject } from '../../json.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import type { ComponentVisit } from '../../walk.js';
import { flowIndex } from './flow-index.js';
import { inputNameOf, inputValueKind, MEDIA_PICKER_TYPES, type InputValueKind } from './inputs.js';

/** Version gates, parsed once (not per call). */
const V_7_0 = versionLiteral('7.0');

const numericText = /^-?\d+(\.\d+)?$/;

/** The JSON type Meta expects for an init value, when `value` does not have it. */
export function initValueMismatch(kind: InputValueKind, value: unknown, input: JsonObject): string | undefined {
  if (isDynamicValue(value)) return undefined;
  switch (kind) {
    case 'string':
      if (input.type === 'TextInput' && input['input-type'] === 'number') {
        return typeof value === 'number' || (typeof value === 'string' && numericText.test(value)) ? undefined : 'numeric string';
      }
      return typeof value === 'string' ? undefined : 'string';
    case 'string-array':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' || isDynamicValue(v)) ? undefined : 'array of strings';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'boolean';
    case 'date-range':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? undefined : 'object';
    case 'media':
      return undefined;
  }
}

/** A Form error message is a string; a range CalendarPicker's may be per date, a picker's per file. */
function errorMessageFits(input: ComponentVisit, value: unknown): boolean {
  if (typeof value === 'string' || MEDIA_PICKER_TYPES.has(input.type)) return true;
  return input.type === 'CalendarPicker' && input.node.mode === 'range' && isObject(value);
}

function checkForm(ctx: RuleContext, form: ComponentVisit, inputs: Map<string, ComponentVisit>): void {
  const { findings, version } = ctx;
  const formName = typeof form.node.name === 'string' ? form.node.name : '';
  for (const prop of ['init-values', 'error-messages'] as const) {
    const map = form.node[prop];
    if (!isObject(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      const pointer = childPointer(form.pointer, prop, key);
      const input = inputs.get(key);
      if (!input) {
        findings.error('FB_UNKNOWN_FORM_COMPONENT', pointer, `Property '${key}' in '${prop}' is not the name of a component of Form '${formName}'.`);
        continue;
      }
      if (prop === 'init-values') {
        if (MEDIA_PICKER_TYPES.has(input.type)) {
          findings.error('NATIVE_COMPONENT_IN_FORM_INIT_VALUES', pointer, `Property 'init-values' should not contain value for components: [${input.type}].`);
          continue;
        }
        const kind = inputValueKind(input.node);
        const expected = kind && isAtLeast(version, V_7_0) ? initValueMismatch(kind, value, input.node) : undefined;
        if (expected) findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type ${expected}, but found ${jsonTypeOf(value)}.`);
      } else if (isAtLeast(version, V_7_0) && !errorMessageFits(input, value)) {
        findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type string, but found ${jsonTypeOf(value)}.`);
      }
    }
  }
}

/**
 * Keys of `init-values` / `error-messages` name inputs of that Form; media
 * pickers cannot be initialised; from 7.0 each init value has the type its
 * input produces (CheckboxGroup/ChipsSelector string[], OptIn boolean,
 * CalendarPicker range an object, numeric TextInput a numeric string), and
 * an input's own `init-value` outside a Form (≥4.0) too.
 */
export const checkFormValues: Rule = (ctx) => {
  for (const { components } of flowIndex(ctx).screens) {
    const forms: ComponentVisit[] = [];
    const inputsByForm = new Map<string, Map<string, ComponentVisit>>();
    for (const c of components) {
      const name = inputNameOf(c);
      if (c.type === 'Form') forms.push(c);
      else if (name !== undefined && c.form) {
        const inputs = inputsByForm.get(c.form.pointer) ?? new Map<string, ComponentVisit>();
        if (!inputs.has(name)) inputs.set(name, c);
        inputsByForm.set(c.form.pointer, inputs);
      } else if (name !== undefined && isAtLeast(ctx.version, V_7_0) && c.node['init-value'] !== undefined) {
        const kind = inputValueKind(c.node);
        const value = c.node['init-value'];
        const pointer = `${c.pointer}/init-value`;
        if (kind === 'string' && c.type === 'TextInput' && initValueMismatch(kind, value, c.node) === 'numeric string') {
          reportNumeric(ctx, pointer, value);
        }
      }
    }
    for (const form of forms) checkForm(ctx, form, inputsByForm.get(form.pointer) ?? new Map<string, ComponentVisit>());
  }
};

function reportNumeric(ctx: RuleContext, pointer: string, value: unknown): void {
  ctx.findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type numeric string, but found ${jsonTypeOf(value)}.`);
}
