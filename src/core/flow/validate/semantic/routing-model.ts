/**
 * The routing model: which screen may follow which (Meta, "Flow JSON" →
 * "Routing model"; "Error codes" → "Routing model errors"; spec §1.10).
 * @module
 */
import type { Rule, RuleContext } from '../context.js';
import { childPointer } from '../../finding.js';
import { isObject, jsonTypeOf, objectProp } from '../../json.js';
import { flowIndex } from './flow-index.js';
import { checkRouteGraph, type GraphInput } from './routing-checks.js';

/** Meta's limit on forward routes out of one screen. */
export const MAX_BRANCHES = 10;

/** A navigate action's edge. */
export interface NavigateEdge {
  readonly from: string;
  readonly to: string;
  /** Pointer of `next/name`. */
  readonly pointer: string;
}

/** Every navigate action whose source and target are known screen ids. */
export function navigateEdges(ctx: RuleContext, ids: ReadonlySet<string>): NavigateEdge[] {
  const out: NavigateEdge[] = [];
  for (const { screen, actions } of flowIndex(ctx).screens) {
    if (screen.id === undefined) continue;
    const from = screen.id;
    for (const a of actions) {
      const next = objectProp(a.action, 'next');
      if (a.name === 'navigate' && next && (next.type === undefined || next.type === 'screen') && typeof next.name === 'string' && ids.has(next.name)) {
        out.push({ from, to: next.name, pointer: `${a.pointer}/next/name` });
      }
    }
  }
  return out;
}

function addEdge(graph: Map<string, string[]>, from: string, to: string): boolean {
  const list = graph.get(from) ?? [];
  graph.set(from, list);
  if (list.includes(to)) return false;
  list.push(to);
  return true;
}

/** Read a supplied routing model into a graph, reporting its own errors. */
function readModel(ctx: RuleContext, model: Record<string, unknown>, input: GraphInput): Map<string, string[]> {
  const { findings } = ctx;
  const graph = new Map<string, string[]>();
  const mentioned = new Set<string>();
  for (const [key, targets] of Object.entries(model)) {
    const keyPointer = childPointer('/routing_model', key);
    mentioned.add(key);
    if (!input.ids.has(key)) findings.error('INVALID_ROUTING_MODEL', keyPointer, `Invalid screens found in the routing model: ${key}.`);
    if (!Array.isArray(targets)) {
      findings.error('INVALID_PROPERTY_TYPE', keyPointer, `Expected property ${keyPointer} to be of type array, but found ${jsonTypeOf(targets)}.`);
      continue;
    }
    if (targets.length > MAX_BRANCHES) {
      findings.error('INVALID_ROUTING_MODEL', keyPointer, `Number of branches exceeds the max limit of ${MAX_BRANCHES} for screen: ${key}.`);
    }
    targets.forEach((target, i) => {
      const pointer = childPointer(keyPointer, i);
      if (typeof target !== 'string') {
        findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type string, but found ${jsonTypeOf(target)}.`);
        return;
      }
      mentioned.add(target);
      if (!input.ids.has(target)) findings.error('INVALID_ROUTING_MODEL', pointer, `Invalid screens found in the routing model: ${target}.`);
      else if (target === key) findings.error('INVALID_ROUTING_MODEL', pointer, `Loop detected in the routing model for screens: ${key}.`);
      else if (input.ids.has(key) && addEdge(graph, key, target) && graph.get(target)?.includes(key)) {
        findings.error(
          'INVALID_ROUTING_MODEL',
          pointer,
          `Backward route [${key}->${target}] corresponding to forward route [${target}->${key}] is not allowed in the routing model. Only forward routes can be specified.`,
        );
        input.backwardPairs.add([key, target].sort().join('\u0000'));
      }
    });
  }
  const missing = input.order.filter((id) => !mentioned.has(id));
  if (input.order.length > 1 && missing.length > 0) {
    findings.error('INVALID_ROUTING_MODEL', '/routing_model', `Following screens are missing in the routing model: ${missing.join(', ')}.`);
    for (const id of missing) input.excluded.add(id);
  }
  return graph;
}

/**
 * With a `routing_model`: its keys and targets are known screens, every
 * screen appears, no self or backward routes, ≤10 branches, and every
 * navigate action's edge is listed. Without one (no endpoint), the graph is
 * Meta's: the navigate actions. Either way the graph has one entry, reaches
 * every screen and has no loops.
 */
export const checkRoutingModel: Rule = (ctx) => {
  const screens = flowIndex(ctx).screens.map((s) => s.screen);
  const pointerOf = new Map<string, string>();
  for (const s of screens) if (s.id !== undefined && !pointerOf.has(s.id)) pointerOf.set(s.id, s.pointer);
  const order = [...pointerOf.keys()];
  const ids = new Set(order);
  const input: GraphInput = { ids, order, pointerOf, excluded: new Set(), backwardPairs: new Set(), supplied: false };
  const edges = navigateEdges(ctx, ids);
  const model = ctx.flow.routing_model;
  let graph: Map<string, string[]>;
  if (isObject(model)) {
    graph = readModel(ctx, model, input);
    for (const e of edges) {
      if (e.from !== e.to && !(graph.get(e.from) ?? []).includes(e.to) && !input.excluded.has(e.from) && !input.excluded.has(e.to)) {
        ctx.findings.error(
          'INVALID_ROUTING_MODEL',
          e.pointer,
          `Missing direct route from screen '${e.from}' to screen '${e.to}' in the routing model, while it exists in the navigate screen action of screen '${e.from}'.`,
        );
      }
    }
    input.supplied = true;
  } else {
    if (ctx.hasEndpoint || model !== undefined) return;
    graph = new Map();
    for (const e of edges) if (e.from !== e.to) addEdge(graph, e.from, e.to);
    for (const [from, targets] of graph) {
      if (targets.length > MAX_BRANCHES) {
        ctx.findings.error(
          'INVALID_ROUTING_MODEL',
          pointerOf.get(from) ?? '/screens',
          `Number of branches exceeds the max limit of ${MAX_BRANCHES} for screen: ${from}. Reduce navigate actions for the screen.`,
        );
      }
    }
  }
  checkRouteGraph(ctx, graph, input);
};
