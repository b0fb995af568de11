/**
 * What references can see: each screen's declared `data` (Meta, "Flow JSON"
 * → "Declaring screen properties") and its input components (`${form.name}`),
 * and, from 4.0, every other screen's (global references). Built once per
 * document and shared by the reference and expression rules.
 * @module
 */
import { isObject, objectProp, type JsonObject } from '../../json.js';
import { formatRef, type Ref } from '../../expr/ref.js';
import type { ValueType } from '../../expr/infer-type.js';
import { isAtLeast, version as versionLiteral, type Version } from '../../version.js';
import type { ComponentVisit, ScreenVisit } from '../../walk.js';
import type { ScreenIndex } from './flow-index.js';

/** One screen as references see it. */
export interface ScreenScope {
  readonly id: string;
  /** The `data` declaration (field → schema), when it is an object. */
  readonly data: JsonObject | undefined;
  /** Input components by `name`. */
  readonly inputs: ReadonlyMap<string, JsonObject>;
  /** Names of Form components (their value cannot be bound). */
  readonly formNames: ReadonlySet<string>;
}

/** Every screen with a string id. */
export type FlowScope = ReadonlyMap<string, ScreenScope>;

/** Why a reference does not resolve; the rule picks Meta's code from this and the place of use. */
export type RefProblem = 'data' | 'form' | 'form-name' | 'global' | 'version';

/** The type of a reference, or why it does not resolve. */
export type Resolution = { ok: true; type: ValueType } | { ok: false; problem: RefProblem; message: string };

const inputTypes = new Set([
  'TextInput', 'TextArea', 'CheckboxGroup', 'RadioButtonsGroup', 'Dropdown', 'ChipsSelector',
  'OptIn', 'DatePicker', 'CalendarPicker', 'PhotoPicker', 'DocumentPicker',
]);
/** Global references came with Flow JSON 4.0 (Meta changelog). */
const V_GLOBAL_REFS = versionLiteral('4.0');

/** The scope of a document, from the run's shared index (no walk of its own). */
export function scopeOf(screens: readonly ScreenIndex[]): FlowScope {
  const scope = new Map<string, ScreenScope>();
  for (const { screen, components } of screens) scope.set(screen.id ?? '', screenScope(screen, components));
  return scope;
}

function screenScope(screen: ScreenVisit, components: readonly ComponentVisit[]): ScreenScope {
  const inputs = new Map<string, JsonObject>();
  const formNames = new Set<string>();
  for (const c of components) {
    if (typeof c.node.name !== 'string') continue;
    if (c.type === 'Form') formNames.add(c.node.name);
    else if (inputTypes.has(c.type) && !inputs.has(c.node.name)) inputs.set(c.node.name, c.node);
  }
  return { id: screen.id ?? '', data: objectProp(screen.node, 'data'), inputs, formNames };
}

/**
 * The value type an input produces (Meta, "Components"; spec §1.13). A
 * TextInput with `input-type: number` counts as a number: Meta's own example
 * compares it with `== 42`, although the value travels as a string.
 */
export function inputValueType(node: JsonObject): ValueType {
  switch (node.type) {
    case 'TextInput':
      return node['input-type'] === 'number' ? 'number' : 'string';
    case 'CheckboxGroup':
    case 'ChipsSelector':
    case 'PhotoPicker':
    case 'DocumentPicker':
      return 'array';
    case 'OptIn':
      return 'boolean';
    case 'CalendarPicker':
      return node.mode === undefined || node.mode === 'single' ? 'string' : node.mode === 'range' ? 'object' : 'unknown';
    default:
      return 'string';
  }
}

/** Resolve `ref` as used on screen `here`. */
export function resolveRef(scope: FlowScope, here: ScreenScope, ref: Ref, version: Version): Resolution {
  if (ref.kind === 'data') {
    return resolveData(here.data, ref.path, () => `Missing dynamic data '${formatRef(ref)}' in the data model of screen '${here.id}'.`, 'data');
  }
  if (ref.kind === 'form') return resolveForm(here, ref.path, () => `Missing Form component ${formatRef(ref)} for screen '${here.id}'.`, 'form');
  if (!isAtLeast(version, V_GLOBAL_REFS)) {
    return { ok: false, problem: 'version', message: `Global reference '${formatRef(ref)}' needs Flow JSON 4.0 or later.` };
  }
  const missing = (): string =>
    `Global Dynamic data '${formatRef(ref)}' on screen '${ref.screen}' does not exist, but is used on screen '${here.id}'.`;
  const target = scope.get(ref.screen);
  if (!target) return { ok: false, problem: 'global', message: missing() };
  return ref.source === 'data' ? resolveData(target.data, ref.path, missing, 'global') : resolveForm(target, ref.path, missing, 'global');
}

function resolveForm(screen: ScreenScope, path: readonly string[], missing: () => string, problem: RefProblem): Resolution {
  const [name, ...rest] = path;
  const input = name === undefined ? undefined : screen.inputs.get(name);
  if (!input) {
    if (name !== undefined && screen.formNames.has(name)) {
      return { ok: false, problem: 'form-name', message: "Value of 'Form' component cannot be used in form binding." };
    }
    return { ok: false, problem, message: missing() };
  }
  const type = inputValueType(input);
  if (rest.length === 0) return { ok: true, type };
  // Only a CalendarPicker range value has keys: {"start-date", "end-date"}.
  if (type === 'unknown') return { ok: true, type };
  if (type === 'object' && rest.length === 1 && (rest[0] === 'start-date' || rest[0] === 'end-date')) return { ok: true, type: 'string' };
  return { ok: false, problem, message: missing() };
}

function schemaType(schema: JsonObject): ValueType {
  switch (schema.type) {
    case 'string':
    case 'boolean':
    case 'object':
    case 'array':
      return schema.type;
    case 'number':
    case 'integer':
      return 'number';
    default:
      return 'unknown';
  }
}

/**
 * Walk a data path through the declared schema: into an object's
 * `properties`, and through an array to its `items`' properties (the value
 * is then per item, so its type is `unknown`). An object with no declared
 * `properties` accepts any key.
 */
function resolveData(data: JsonObject | undefined, path: readonly string[], missing: () => string, problem: RefProblem): Resolution {
  const [key, ...rest] = path;
  const first = data && key !== undefined && Object.hasOwn(data, key) ? data[key] : undefined;
  if (!isObject(first)) return { ok: false, problem, message: missing() };
  let schema: JsonObject = first;
  let throughArray = false;
  for (const segment of rest) {
    if (schemaType(schema) === 'array') {
      const items: unknown = schema.items;
      if (!isObject(items)) return { ok: true, type: 'unknown' };
      schema = items;
      throughArray = true;
    }
    const type = schemaType(schema);
    if (type === 'unknown') return { ok: true, type };
    if (type !== 'object') return { ok: false, problem, message: missing() };
    const props = objectProp(schema, 'properties');
    if (!props) return { ok: true, type: 'unknown' };
    const next = Object.hasOwn(props, segment) ? props[segment] : undefined;
    if (!isObject(next)) return { ok: false, problem, message: missing() };
    schema = next;
  }
  return { ok: true, type: throughArray ? 'unknown' : schemaType(schema) };
}
