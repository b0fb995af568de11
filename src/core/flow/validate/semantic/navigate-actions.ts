/**
 * Navigate actions: their target and their payload against the target
 * screen's data model (Meta, "Error codes" → "Navigate action errors";
 * spec §1.4, §1.8).
 * @module
 */
import type { Rule, RuleContext } from '../context.js';
import { childPointer } from '../../finding.js';
import { isDynamicValue } from '../../dynamic.js';
import { isObject, jsonTypeOf, objectProp, type JsonObject } from '../../json.js';
import type { ComponentVisit, ScreenVisit } from '../../walk.js';
import type { ActionVisit } from './actions.js';
import { flowIndex } from './flow-index.js';
import { inputValueKind, type InputValueKind } from './inputs.js';
import { parseRef } from '../../expr/index.js';

/** True when a static value fits a declared data-model type. */
export function staticValueFits(declared: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (declared === 'number') return actual === 'number' || actual === 'integer';
  return declared === actual;
}

const kindTypes: Record<InputValueKind, string[] | undefined> = {
  string: ['string'],
  'string-array': ['array'],
  boolean: ['boolean'],
  'date-range': ['object'],
  media: undefined,
};

/**
 * The data-model types a whole `${form.x}` / `${data.x}` binding of the
 * current screen can fill, when known. A numeric TextInput may fill a
 * string or a number field (how Meta types it is unconfirmed).
 */
export function bindingTypes(value: unknown, from: ScreenVisit, inputs: ReadonlyMap<string, ComponentVisit>): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const ref = parseRef(value);
  if (!ref || ref.path.length !== 1) return undefined;
  const source = ref.kind === 'screen' ? (ref.screen === from.id ? ref.source : undefined) : ref.kind;
  const name = ref.path[0] ?? '';
  if (source === 'form') {
    const input = inputs.get(name);
    if (!input) return undefined;
    if (input.type === 'TextInput' && input.node['input-type'] === 'number') return ['string', 'number', 'integer'];
    const kind = inputValueKind(input.node);
    return kind ? kindTypes[kind] : undefined;
  }
  if (source === 'data') {
    const field = objectProp(from.node, 'data')?.[name];
    return isObject(field) && typeof field.type === 'string' ? [field.type] : undefined;
  }
  return undefined;
}

function checkBinding(ctx: RuleContext, key: string, value: unknown, declared: string, pointer: string, target: string, types: string[]): void {
  const fits = types.includes(declared) || (declared === 'number' && types.includes('integer'));
  if (fits) return;
  ctx.findings.error(
    'INVALID_NAVIGATE_ACTION_PAYLOAD',
    pointer,
    `Schema of dynamic data '${String(value)}' is not matching schema of data model field '${key}' on screen '${target}'. Property is expecting '${declared}' but got '${types[0] ?? 'unknown'}'.`,
  );
}

function checkPayload(ctx: RuleContext, from: ScreenVisit, a: ActionVisit, target: ScreenVisit, inputs: ReadonlyMap<string, ComponentVisit>): void {
  const { findings, hasEndpoint } = ctx;
  const payload = a.action.payload;
  if (payload !== undefined && !isObject(payload)) return;
  const entries = Object.entries(payload ?? {});
  const data = objectProp(target.node, 'data');
  const targetId = target.id ?? String(target.index);
  const payloadPointer = `${a.pointer}/payload`;
  if (!data) {
    if (entries.length > 0) findings.error('INVALID_NAVIGATE_ACTION_PAYLOAD', payloadPointer, `No data model is defined in the next screen '${targetId}'.`);
    return;
  }
  const extra = entries.filter(([k]) => data[k] === undefined).map(([k]) => k);
  if (extra.length > 0) {
    findings.error('INVALID_NAVIGATE_ACTION_PAYLOAD', childPointer(payloadPointer, extra[0] ?? ''), `Following fields are missing in the next screen's data model: [${extra.join(', ')}].`);
  }
  if (!hasEndpoint) {
    const given = new Set(entries.map(([k]) => k));
    const absent = Object.keys(data).filter((k) => !given.has(k));
    if (absent.length > 0) {
      findings.error(
        'INVALID_NAVIGATE_ACTION_PAYLOAD',
        payload === undefined ? a.pointer : payloadPointer,
        `Following fields are expected in the next screen's data model but missing in payload: [${absent.join(', ')}].`,
      );
    }
  }
  for (const [key, value] of entries) {
    const field = data[key];
    const declared = isObject(field) && typeof field.type === 'string' ? field.type : undefined;
    if (!declared) continue;
    if (isDynamicValue(value)) {
      const types = bindingTypes(value, from, inputs);
      if (types) checkBinding(ctx, key, value, declared, childPointer(payloadPointer, key), targetId, types);
      continue;
    }
    if (staticValueFits(declared, value)) continue;
    findings.error(
      'INVALID_NAVIGATE_ACTION_PAYLOAD',
      childPointer(payloadPointer, key),
      `Schema of payload data at '${key}' on screen '${from.id ?? from.index}' is not matching with schema of data model field on screen '${targetId}'. Property is expecting '${declared}' but got '${jsonTypeOf(value)}'.`,
    );
  }
}

/**
 * A navigate action names another existing screen. Its payload becomes the
 * next screen's data: without an endpoint the keys must be exactly that
 * screen's declared fields, with fitting static types and fitting
 * `${form.x}` / `${data.x}` binding types. Decision (the safer
 * reading) for endpoint flows: payload keys must still be declared fields
 * and static values must fit, but declared fields may be absent (the
 * endpoint may supply them).
 */
export const checkNavigateActions: Rule = (ctx) => {
  const { screens, byId } = flowIndex(ctx);
  for (const { screen, actions, inputs } of screens) {
    for (const a of actions) {
      if (a.name !== 'navigate') continue;
      const next: JsonObject | undefined = objectProp(a.action, 'next');
      const name = next?.name;
      // `next.type` other than "screen" (pywa knows an undocumented "plugin") names no screen.
      if (typeof name !== 'string' || (next?.type !== undefined && next.type !== 'screen')) continue;
      const pointer = `${a.pointer}/next/name`;
      if (name === screen.id) {
        ctx.findings.error('INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME', pointer, `Same screen navigation is not allowed. Loop detected at [${name}].`);
        continue;
      }
      const target = byId.get(name)?.screen;
      if (!target) {
        ctx.findings.error('INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME', pointer, `Unknown screen ids found: [${name}].`);
        continue;
      }
      checkPayload(ctx, screen, a, target, inputs);
    }
  }
};
