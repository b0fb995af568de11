/**
 * Resolving dynamic property values the way the client does (spec §1.6):
 * `${data.x}`, `${form.x}`, `${screen.S.form.x}` (≥4.0) and backtick
 * expressions (≥6.0). Nothing here throws: an unresolvable reference reads
 * as undefined, which texts render as ''.
 * @module
 */
import { isObject, type JsonObject } from '../flow/json.js';
import { forEachComponent } from '../flow/walk.js';
import { asText, emptyValueOf, INPUT_TYPES } from './components.js';
import { classifyValue, evaluate, parseCondition, type Ref } from '../flow/expr/index.js';
import { features, type FlowDocument } from './flow-document.js';
import type { ScreenState } from './screen-state.js';

/** Input components of each screen by name (all If/Switch branches). */
export type InputIndex = ReadonlyMap<string, ReadonlyMap<string, JsonObject>>;

/** Build the {@link InputIndex} of a document once. */
export function buildInputIndex(doc: FlowDocument): InputIndex {
  const index = new Map<string, Map<string, JsonObject>>();
  for (const [id, screen] of doc.screens) {
    const inputs = new Map<string, JsonObject>();
    forEachComponent(screen, (c) => {
      if (INPUT_TYPES.has(c.type) && typeof c.node.name === 'string' && !inputs.has(c.node.name)) inputs.set(c.node.name, c.node);
    });
    index.set(id, inputs);
  }
  return index;
}

/** Everything a reference can read. */
export interface Scope {
  readonly doc: FlowDocument;
  readonly inputs: InputIndex;
  readonly current: ScreenState;
  /** The latest state of a screen, on the stack or visited before; undefined if never opened. */
  screenState(id: string): ScreenState | undefined;
}

function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (Array.isArray(v)) v = /^\d+$/.test(key) ? v[Number(key)] : undefined;
    else if (isObject(v)) v = v[key];
    else return undefined;
  }
  return v;
}

function formValue(scope: Scope, state: ScreenState | undefined, screenId: string, path: readonly string[]): unknown {
  const [name, ...rest] = path;
  if (name === undefined) return undefined;
  const type = scope.inputs.get(screenId)?.get(name)?.type;
  const raw = state?.values[name];
  const value = raw === undefined && typeof type === 'string' ? emptyValueOf(type) : raw;
  return dig(value, rest);
}

/** The value a reference reads right now. */
export function lookupRef(scope: Scope, ref: Ref): unknown {
  if (ref.kind === 'data') return dig(scope.current.data, ref.path);
  if (ref.kind === 'form') return formValue(scope, scope.current, scope.current.id, ref.path);
  if (!features(scope.doc.version).globalRefs) return undefined;
  const state = ref.screen === scope.current.id ? scope.current : scope.screenState(ref.screen);
  if (ref.source === 'data') return dig(state?.data, ref.path);
  return formValue(scope, state, ref.screen, ref.path);
}

const actionKeys = new Set(['on-click-action', 'on-select-action', 'on-unselect-action']);

/**
 * Resolve one property value. Strings are bindings, expressions or literal
 * text; arrays and objects are resolved member by member, except nested
 * actions, which are resolved only when they run.
 */
export function resolveValue(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${') && !(value.length >= 2 && value.startsWith('`') && value.endsWith('`'))) return value;
    const kind = classifyValue(value);
    if (kind.kind === 'binding') return lookupRef(scope, kind.ref);
    if (kind.kind === 'expression' && features(scope.doc.version).expressions) return evaluate(kind.expr, (r) => lookupRef(scope, r));
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = actionKeys.has(k) ? v : resolveValue(v, scope);
    return out;
  }
  return value;
}

/** A property rendered as text (undefined → ''). */
export function resolveText(value: unknown, scope: Scope): string {
  return asText(resolveValue(value, scope));
}

/** A boolean property (`visible`, `enabled`, `required`) with its default. */
export function resolveFlag(value: unknown, scope: Scope, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = resolveValue(value, scope);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}

/** A numeric property (`min-chars`, `max-days`…) or undefined. */
export function resolveNumber(value: unknown, scope: Scope): number | undefined {
  const v = resolveValue(value, scope);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Evaluate an If `condition` (no backticks, spec §1.6); a malformed one is false. */
export function evaluateCondition(text: unknown, scope: Scope): boolean {
  if (typeof text !== 'string') return false;
  const parsed = parseCondition(text);
  if (!parsed.ok) return false;
  const v = evaluate(parsed.expr, (r) => lookupRef(scope, r));
  return v === true || v === 'true';
}
