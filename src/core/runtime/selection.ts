/**
 * What a person does with inputs: typing (`setValue`), choosing and
 * un-choosing options (`select`/`unselect`, which fire item- and
 * component-level on-select/on-unselect actions, spec §1.8–§1.9), and
 * `answer`, which picks the right one of those for any input.
 * @module
 */
import { isObject, objectProp, type JsonObject } from '../flow/json.js';
import { asText, MULTI_SELECT_TYPES, SELECTION_TYPES } from './components.js';
import { formatPickerDate, isoDate, toDay } from './dates.js';
import { features } from './flow-document.js';
import { runAction } from './actions.js';
import { currentState, scopeOf, type RuntimeCore } from './runtime-core.js';
import { resolveValue } from './scope.js';
import type { StepResult } from './screen-state.js';
import { visibleComponents } from './visible-components.js';

/** The visible input called `name` on the current screen. */
export function visibleInput(core: RuntimeCore, name: string): JsonObject | undefined {
  if (core.status !== 'active') return undefined;
  const state = currentState(core);
  const screen = core.doc.screens.get(state.id);
  if (!screen) return undefined;
  return visibleComponents(screen.node, scopeOf(core)).components.find((c) => c.node.name === name && c.type !== 'NavigationList')?.node;
}

function normalise(core: RuntimeCore, node: JsonObject, value: unknown): unknown {
  const asDate = (v: unknown, iso: boolean): unknown => {
    const day = toDay(v);
    return day === undefined ? v : iso ? isoDate(day) : formatPickerDate(day, false);
  };
  if (node.type === 'DatePicker') return asDate(value, features(core.doc.version).isoDates);
  if (node.type === 'CalendarPicker') {
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asDate(v, true)]));
    return asDate(value, true);
  }
  if ((node.type === 'TextInput' || node.type === 'TextArea') && typeof value === 'number') return String(value);
  return value;
}

function record(core: RuntimeCore, name: string, value: unknown): void {
  const state = currentState(core);
  state.values[name] = value;
  state.touched.add(name);
  state.dismissed.add(name);
  delete state.clientErrors[name];
}

/** Type or set a value, without firing select actions. Dates may be given as YYYY-MM-DD in every version. */
export function setValue(core: RuntimeCore, name: string, value: unknown): StepResult {
  const node = visibleInput(core, name);
  if (!node) return { ok: false, reason: `no visible input named '${name}'` };
  record(core, name, normalise(core, node, value));
  return { ok: true };
}

function item(core: RuntimeCore, node: JsonObject, id: string): JsonObject | undefined {
  const source = resolveValue(node['data-source'], scopeOf(core));
  return Array.isArray(source) ? source.filter(isObject).find((o) => asText(o.id) === id) : undefined;
}

async function fire(core: RuntimeCore, ...actions: Array<JsonObject | undefined>): Promise<StepResult> {
  for (const a of actions) {
    if (!a || core.status !== 'active') continue;
    const r = await runAction(core, a);
    if (!r.ok) return r;
  }
  return { ok: true };
}

/** The component's own action for an unselect: on-unselect-action, else on-select-action handles both. */
function componentUnselect(node: JsonObject): JsonObject | undefined {
  return objectProp(node, 'on-unselect-action') ?? objectProp(node, 'on-select-action');
}

/** Choose an option (lists) or tick an OptIn (no `id`). */
export async function select(core: RuntimeCore, name: string, id?: string): Promise<StepResult> {
  const node = visibleInput(core, name);
  if (!node) return { ok: false, reason: `no visible input named '${name}'` };
  const state = currentState(core);
  const type = String(node.type);
  if (type === 'OptIn') {
    record(core, name, true);
    return fire(core, objectProp(node, 'on-select-action'));
  }
  if (!SELECTION_TYPES.has(type) || id === undefined) return { ok: false, reason: `'${name}' is not a list to select from` };
  const chosen = item(core, node, id);
  if (!chosen || chosen.enabled === false) return { ok: false, reason: `'${id}' is not an enabled option of '${name}'` };
  if (MULTI_SELECT_TYPES.has(type)) {
    const current = Array.isArray(state.values[name]) ? (state.values[name] as unknown[]).map(String) : [];
    if (current.includes(id)) return { ok: true };
    record(core, name, [...current, id]);
  } else {
    const previous = state.values[name];
    if (previous === id) return { ok: true };
    if (typeof previous === 'string' && previous !== '') {
      const r = await fire(core, objectProp(item(core, node, previous) ?? {}, 'on-unselect-action'), objectProp(node, 'on-unselect-action'));
      if (!r.ok || currentState(core) !== state) return r;
    }
    record(core, name, id);
  }
  return fire(core, objectProp(chosen, 'on-select-action'), objectProp(node, 'on-select-action'));
}

/** Un-choose an option (multi-select lists) or untick an OptIn. */
export async function unselect(core: RuntimeCore, name: string, id?: string): Promise<StepResult> {
  const node = visibleInput(core, name);
  if (!node) return { ok: false, reason: `no visible input named '${name}'` };
  const state = currentState(core);
  if (node.type === 'OptIn') {
    record(core, name, false);
    return fire(core, objectProp(node, 'on-unselect-action'));
  }
  const value = state.values[name];
  if (Array.isArray(value)) {
    if (id === undefined || !value.map(String).includes(id)) return { ok: true };
    record(core, name, value.filter((v) => asText(v) !== id));
  } else {
    if (value === undefined || value === '' || (id !== undefined && value !== id)) return { ok: true };
    id = asText(value);
    record(core, name, '');
  }
  return fire(core, objectProp(item(core, node, id) ?? {}, 'on-unselect-action'), componentUnselect(node));
}

/** Give an input a value the way a person would: typing, picking a date or (un)selecting options, so their on-select actions fire. */
export async function answer(core: RuntimeCore, name: string, value: unknown): Promise<StepResult> {
  const node = visibleInput(core, name);
  if (!node) return { ok: false, reason: `no visible input named '${name}'` };
  const type = String(node.type);
  if (type === 'OptIn') return value === true ? select(core, name) : unselect(core, name);
  if (type === 'DatePicker' || type === 'CalendarPicker') {
    const set = setValue(core, name, value);
    return set.ok ? fire(core, objectProp(node, 'on-select-action')) : set;
  }
  if (!SELECTION_TYPES.has(type)) return setValue(core, name, value);
  if (!MULTI_SELECT_TYPES.has(type)) return select(core, name, asText(value));
  const wanted = (Array.isArray(value) ? value : [value]).map(String);
  const state = currentState(core);
  const current = Array.isArray(state.values[name]) ? (state.values[name] as unknown[]).map(String) : [];
  for (const id of current.filter((c) => !wanted.includes(c))) {
    const r = await unselect(core, name, id);
    if (!r.ok || currentState(core) !== state) return r;
  }
  for (const id of wanted.filter((w) => !current.includes(w))) {
    const r = await select(core, name, id);
    if (!r.ok || currentState(core) !== state) return r;
  }
  return { ok: true };
}
