/**
 * The canonical emitter: Flow JSON text with a stable key order, so that
 * generated flows diff cleanly and the same model always gives the same bytes.
 * Canonicalisation works on untrusted JSON (anything not of the expected
 * shape passes through unchanged) and never mutates its input. User-chosen
 * keys (payload fields, data keys, routing model, Switch cases, init-values)
 * keep their original order.
 * @module
 */
import { isObject, type JsonObject } from '../json.js';
import {
  ACTION_KEY_ORDER,
  COMPONENT_KEY_ORDER,
  CONTENT_KEY_ORDER,
  DATA_SOURCE_ITEM_KEY_ORDER,
  FLOW_KEY_ORDER,
  LAYOUT_KEY_ORDER,
  NAVIGATION_ITEM_KEY_ORDER,
  NEXT_KEY_ORDER,
  RANGE_KEY_ORDER,
  SCHEMA_KEY_ORDER,
  SCREEN_KEY_ORDER,
  orderKeys,
} from './key-order.js';
import type { FlowJson } from './flow.js';

/** Options of {@link emitFlowJson}. */
export interface EmitOptions {
  /** Spaces per indentation level; 0 gives compact one-line JSON. Default 2. */
  indent?: number;
  /**
   * Keep every object's keys in the order they already have instead of the
   * canonical order. With indent 2 this is byte-identical to
   * `JSON.stringify(original, null, 2)` for a document read by `parseFlow`,
   * which is what editors that round-trip hand-written files want.
   */
  preserveOrder?: boolean;
}

/**
 * Serialise a flow. Canonical order: top level `version, data_api_version,
 * routing_model, screens, data_channel_uri`; screens `id, title, terminal,
 * success, refresh_on_back, sensitive, data, layout`; components `type, name`,
 * then the documented property order of Meta's "Components" page; actions
 * `name, next, url, payload`; unknown keys last, in their original order.
 * Keys are Meta's, verbatim. No trailing newline.
 * @example
 * const text = emitFlowJson(flow('7.3').screen('A', (s) => s.terminal().footer('Done', complete())).build());
 */
export function emitFlowJson(flow: FlowJson, options: EmitOptions = {}): string {
  const indent = options.indent ?? 2;
  const value = options.preserveOrder ? flow : canonicalizeFlow(flow);
  return JSON.stringify(value, null, indent > 0 ? indent : undefined);
}

const actionKeys = new Set(['on-click-action', 'on-select-action', 'on-unselect-action']);
const rangeKeys = new Set(['label', 'helper-text', 'required', 'error-message', 'init-value']);

const mapArray = (value: unknown, f: (v: unknown) => unknown): unknown => (Array.isArray(value) ? value.map(f) : value);
const ordered = (value: unknown, order: readonly string[], map?: (k: string, v: unknown) => unknown): unknown =>
  isObject(value) ? orderKeys(value, order, map) : value;

/** Return a copy of the document with every known object's keys in canonical order. */
export function canonicalizeFlow(doc: unknown): unknown {
  return ordered(doc, FLOW_KEY_ORDER, (k, v) => (k === 'screens' ? mapArray(v, canonicalScreen) : v));
}

function canonicalScreen(screen: unknown): unknown {
  return ordered(screen, SCREEN_KEY_ORDER, (k, v) => {
    if (k === 'data') return isObject(v) ? mapValues(v, canonicalSchema) : v;
    if (k === 'layout') return ordered(v, LAYOUT_KEY_ORDER, (lk, lv) => (lk === 'children' ? canonicalComponents(lv) : lv));
    return v;
  });
}

function canonicalSchema(schema: unknown): unknown {
  return ordered(schema, SCHEMA_KEY_ORDER, (k, v) => {
    if (k === 'items') return canonicalSchema(v);
    if (k === 'properties') return isObject(v) ? mapValues(v, canonicalSchema) : v;
    return v;
  });
}

function canonicalComponents(list: unknown): unknown {
  return mapArray(list, canonicalComponent);
}

/** Canonical key order for one component (and everything inside it). */
export function canonicalComponent(component: unknown): unknown {
  if (!isObject(component)) return component;
  const type = typeof component.type === 'string' ? component.type : '';
  const order = ['type', 'name', ...(COMPONENT_KEY_ORDER[type] ?? [])];
  return orderKeys(component, order, (k, v) => componentValue(type, k, v));
}

function componentValue(type: string, key: string, value: unknown): unknown {
  if (actionKeys.has(key)) return canonicalAction(value);
  switch (key) {
    case 'children':
    case 'then':
    case 'else':
      return canonicalComponents(value);
    case 'cases':
      return isObject(value) ? mapValues(value, canonicalComponents) : value;
    case 'data-source':
      return mapArray(value, (item) => ordered(item, DATA_SOURCE_ITEM_KEY_ORDER, (k, v) => (actionKeys.has(k) ? canonicalAction(v) : v)));
    case 'list-items':
      return mapArray(value, canonicalNavigationItem);
    case 'images':
      return mapArray(value, (img) => ordered(img, CONTENT_KEY_ORDER));
    default:
      return type === 'CalendarPicker' && rangeKeys.has(key) ? ordered(value, RANGE_KEY_ORDER) : value;
  }
}

function canonicalNavigationItem(item: unknown): unknown {
  return ordered(item, NAVIGATION_ITEM_KEY_ORDER, (k, v) => {
    if (k === 'on-click-action') return canonicalAction(v);
    if (k === 'main-content' || k === 'start' || k === 'end') return ordered(v, CONTENT_KEY_ORDER);
    return v;
  });
}

/** Canonical key order for an action object. */
export function canonicalAction(action: unknown): unknown {
  return ordered(action, ACTION_KEY_ORDER, (k, v) => (k === 'next' ? ordered(v, NEXT_KEY_ORDER) : v));
}

function mapValues(obj: JsonObject, f: (v: unknown) => unknown): JsonObject {
  return orderKeys(obj, [], (_k, v) => f(v));
}
