/**
 * The parts of a Flow JSON document the runtime needs, read once: version,
 * screens by id, routing model and entry screen. Works on untrusted JSON; a
 * document the runtime cannot run at all is reported as a problem string.
 * @module
 */
import { arrayProp, isObject, objectProp, stringProp, type JsonObject } from '../flow/json.js';
import { isAtLeast, parseVersion, type Version } from '../flow/version.js';
import { screensOf, type ScreenVisit } from '../flow/walk.js';

/** A Flow JSON document prepared for running. */
export interface FlowDocument {
  readonly flow: JsonObject;
  readonly version: Version;
  /** Screens by id, in document order. */
  readonly screens: ReadonlyMap<string, ScreenVisit>;
  /** True when the document declares `data_api_version` (spec §1.1). */
  readonly hasEndpoint: boolean;
  /** Declared `data_api_version`, defaulting to 3.0 (the first Data API). */
  readonly dataApiVersion: '3.0' | '4.0';
  /** `routing_model` edges; undefined when the document has none. */
  readonly routes: ReadonlyMap<string, readonly string[]> | undefined;
}

/** Read a document; a string explains why it cannot run. */
export function readFlowDocument(flow: unknown): FlowDocument | string {
  if (!isObject(flow)) return 'The Flow JSON is not an object.';
  const version = parseVersion(flow.version);
  if (!version) return "The Flow JSON has no valid 'version'.";
  const screens = new Map<string, ScreenVisit>();
  for (const s of screensOf(flow)) if (s.id !== undefined && !screens.has(s.id)) screens.set(s.id, s);
  if (screens.size === 0) return 'The Flow JSON has no screens.';
  const routingModel = objectProp(flow, 'routing_model');
  let routes: Map<string, string[]> | undefined;
  if (routingModel) {
    routes = new Map();
    for (const [from, to] of Object.entries(routingModel)) {
      routes.set(from, Array.isArray(to) ? to.filter((t): t is string => typeof t === 'string') : []);
    }
  }
  const dav = stringProp(flow, 'data_api_version');
  return {
    flow,
    version,
    screens,
    hasEndpoint: flow.data_api_version !== undefined,
    dataApiVersion: dav === '4.0' ? '4.0' : '3.0',
    routes,
  };
}

/** Every `navigate` target named anywhere in the document (for the entry screen without a routing model). */
function navigateTargets(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) navigateTargets(v, out);
  else if (isObject(value)) {
    if (value.name === 'navigate') {
      const next = objectProp(value, 'next');
      const target = next ? stringProp(next, 'name') : undefined;
      if (target) out.add(target);
    }
    for (const v of Object.values(value)) navigateTargets(v, out);
  }
  return out;
}

/**
 * The screen a navigate-opened flow shows first when the sender names none:
 * the screen with no inbound route ("Routing model": entry screen), else the
 * first screen no navigate action targets, else the first screen.
 */
export function entryScreen(doc: FlowDocument): string {
  const ids = [...doc.screens.keys()];
  const inbound = new Set<string>();
  if (doc.routes && doc.routes.size > 0) for (const to of doc.routes.values()) for (const t of to) inbound.add(t);
  else navigateTargets(arrayProp(doc.flow, 'screens'), inbound);
  return ids.find((id) => !inbound.has(id)) ?? ids[0] ?? '';
}

/** True when the endpoint may send the user from `from` to `to` (spec §1.10 rule 9). */
export function isRoutable(doc: FlowDocument, from: string, to: string): boolean {
  if (from === to) return doc.screens.has(to);
  if (!doc.screens.has(to)) return false;
  return doc.routes?.get(from)?.includes(to) ?? false;
}

/** The `__example__` values a screen declares: what previews show before real data arrives (spec §1.4). */
export function exampleData(screen: ScreenVisit | undefined): Record<string, unknown> {
  const data = screen ? objectProp(screen.node, 'data') : undefined;
  const out: Record<string, unknown> = {};
  if (data) for (const [k, decl] of Object.entries(data)) if (isObject(decl) && '__example__' in decl) out[k] = structuredClone(decl.__example__);
  return out;
}

/** Backtick expressions are only read from 6.0; global screen refs from 4.0 (spec §1.2). */
export function features(version: Version): { expressions: boolean; globalRefs: boolean; componentInit: boolean; isoDates: boolean } {
  return {
    expressions: isAtLeast(version, '6.0'),
    globalRefs: isAtLeast(version, '4.0'),
    componentInit: isAtLeast(version, '4.0'),
    isoDates: isAtLeast(version, '5.0'),
  };
}
