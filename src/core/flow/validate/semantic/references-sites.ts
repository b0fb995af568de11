/**
 * Every string of a Flow JSON document that may hold a reference or an
 * expression, with where it sits: which screen and component, which
 * property, whether it is inside an action payload, and what JSON types that
 * position accepts (from the structural catalogue in `spec/`).
 * @module
 */
import { childPointer } from '../../finding.js';
import { isObject } from '../../json.js';
import type { ValueType } from '../../expr/infer-type.js';
import { componentAt } from '../../spec/catalogue.js';
import type { PropSpec } from '../../spec/prop-spec.js';
import { isAtLeast, type Version } from '../../version.js';
import type { ComponentVisit, ScreenVisit } from '../../walk.js';
import type { ScreenIndex } from './flow-index.js';

/** One string value and its context. */
export interface ValueSite {
  readonly value: string;
  readonly pointer: string;
  readonly screen: ScreenVisit;
  /** Undefined for the screen `title`. */
  readonly component: ComponentVisit | undefined;
  /** The component property the value is under (`text`, `on-click-action`…), or `title`. */
  readonly property: string;
  /** The key or index holding the string itself. */
  readonly key: string | number;
  /** An If `condition` (its own grammar) or an ordinary value. */
  readonly role: 'value' | 'condition';
  /** Inside an action `payload`: any JSON type may be sent. */
  readonly inPayload: boolean;
  /** The value types the position accepts, when known. */
  readonly accepts: readonly ValueType[] | undefined;
}

/** Container keys whose components `walk` visits itself. */
/** A Map, not an object literal: component types come from untrusted input (e.g. "toString"). */
const childKeys: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Form', new Set(['children'])],
  ['If', new Set(['then', 'else'])],
  ['Switch', new Set(['cases'])],
]);
const maxDepth = 64;

/**
 * Where the catalogue is silent or too narrow for a binding: a Switch
 * compares its value with the case keys as text, so any scalar may be bound;
 * a numeric TextInput may be initialised with a number; Meta's data-model
 * rule lets an `error-message` binding be a string or an object (spec §1.4).
 */
function override(type: string, property: string): readonly ValueType[] | undefined {
  if (type === 'Switch' && property === 'value') return ['string', 'number', 'boolean'];
  if (property === 'error-message') return ['string', 'object'];
  if (type === 'TextInput' && property === 'init-value') return ['string', 'number'];
  return undefined;
}

const acceptedCache = new WeakMap<PropSpec, { version: Version; accepts: readonly ValueType[] }>();

function acceptedTypes(spec: PropSpec | undefined, version: Version): readonly ValueType[] | undefined {
  if (!spec || spec.action || spec.children) return undefined;
  const cached = acceptedCache.get(spec);
  if (cached && cached.version === version) return cached.accepts;
  const accepts: ValueType[] = [];
  for (const k of spec.kinds) {
    const since = spec.kindSince?.get(k);
    if (since === undefined || isAtLeast(version, since)) accepts.push(k === 'integer' ? 'number' : k);
  }
  acceptedCache.set(spec, { version, accepts });
  return accepts;
}

/**
 * Every value site of the document that may be dynamic, in document order,
 * from the run's shared index (no walk of its own).
 * Strings with no `${` that do not start
 * with a backtick are left out, except a Switch `value`.
 */
export function valueSitesOf(screens: readonly ScreenIndex[], version: Version): readonly ValueSite[] {
  const sites: ValueSite[] = [];
  for (const { screen, components } of screens) {
    const title = screen.node.title;
    if (typeof title === 'string' && !plainlyStatic(title)) {
      sites.push({ value: title, pointer: `${screen.pointer}/title`, screen, component: undefined, property: 'title', key: 'title', role: 'value', inPayload: false, accepts: ['string'] });
    }
    for (const c of components) collectComponent(c, version, sites);
  }
  return sites;
}

/** What stays the same while walking one property's value. */
interface PropertyWalk {
  readonly c: ComponentVisit;
  readonly property: string;
  readonly version: Version;
  readonly sites: ValueSite[];
  /** Report even plainly static strings (Switch `value` must be a binding). */
  readonly always: boolean;
}

function collectComponent(c: ComponentVisit, version: Version, sites: ValueSite[]): void {
  const spec = componentAt(c.type, version);
  const skip = childKeys.get(c.type);
  for (const property in c.node) {
    if (skip?.has(property)) continue;
    const value = c.node[property];
    if (c.type === 'If' && property === 'condition') {
      if (typeof value === 'string') {
        sites.push({ value, pointer: childPointer(c.pointer, property), screen: c.screen, component: c, property, key: property, role: 'condition', inPayload: false, accepts: ['boolean'] });
      }
      continue;
    }
    const always = c.type === 'Switch' && property === 'value';
    visitValue({ c, property, version, sites, always }, value, c.pointer, property, spec?.shape.props.get(property), false, 0);
  }
}

/** True when a string can hold no reference or expression: most strings, skipped cheaply. */
function plainlyStatic(text: string): boolean {
  return text.charCodeAt(0) !== 96 /* ` */ && !text.includes('${');
}

function visitValue(w: PropertyWalk, v: unknown, parent: string, key: string | number, p: PropSpec | undefined, inPayload: boolean, depth: number): void {
  if (depth > maxDepth) return;
  if (typeof v === 'string') {
    if (!w.always && plainlyStatic(v)) return;
    let accepts: readonly ValueType[] | undefined;
    if (!inPayload) accepts = (depth === 0 ? override(w.c.type, w.property) : undefined) ?? acceptedTypes(p, w.version);
    w.sites.push({ value: v, pointer: childPointer(parent, key), screen: w.c.screen, component: w.c, property: w.property, key, role: 'value', inPayload, accepts });
  } else if (Array.isArray(v)) {
    const at = childPointer(parent, key);
    const items = inPayload ? undefined : p?.items;
    for (let i = 0; i < v.length; i++) visitValue(w, v[i], at, i, items, inPayload, depth + 1);
  } else if (isObject(v)) {
    const at = childPointer(parent, key);
    for (const k in v) {
      const entersPayload = !inPayload && k === 'payload' && typeof v.name === 'string';
      const next = inPayload || entersPayload || !p ? undefined : p.shape?.props.get(k);
      visitValue(w, v[k], at, k, next, inPayload || entersPayload, depth + 1);
    }
  }
}
