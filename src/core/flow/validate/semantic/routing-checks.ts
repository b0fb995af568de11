/**
 * Whole-graph properties of a flow's routes, for a supplied routing model
 * and for the one Meta derives from navigate actions, each with Meta's
 * message variant (Meta, "Error codes" → "Routing model errors"; spec §1.10).
 * @module
 */
import type { RuleContext } from '../context.js';
import { inDegrees, loopsOf, reachableFrom, type RouteGraph } from './routing-graph.js';

/** What the graph checks need to know about the flow's screens. */
export interface GraphInput {
  readonly ids: ReadonlySet<string>;
  /** Screen ids in document order, first occurrence only. */
  readonly order: readonly string[];
  readonly pointerOf: ReadonlyMap<string, string>;
  /** Screens already reported (missing from the model): not reported again. */
  readonly excluded: Set<string>;
  /** `a\0b` pairs already reported as backward routes: not reported as loops. */
  readonly backwardPairs: Set<string>;
  /** True for a supplied routing_model, false for the navigate-derived graph. */
  supplied: boolean;
}

/**
 * One entry screen (no inbound edge; when several, the first in document
 * order that has a route out), every screen reachable from it, no loops.
 *
 * Decision: because every edge can be walked back with the back button
 * (Meta's routing rule 2), "every route ends at a terminal screen" holds as
 * soon as every screen is reachable and a terminal screen exists (checked by
 * the terminal-screen rule); dead-end side screens such as terms pages are
 * fine (Meta's own examples have them).
 */
export function checkRouteGraph(ctx: RuleContext, graph: RouteGraph, input: GraphInput): void {
  const { findings } = ctx;
  const { order, supplied } = input;
  if (order.length < 2) return;
  const firstPointer = (ids: readonly string[]): string => input.pointerOf.get(ids[0] ?? '') ?? '/screens';
  const where = (ids: readonly string[]): string => (supplied ? '/routing_model' : firstPointer(ids));
  for (const loop of loopsOf(order, graph)) {
    if (loop.length === 2 && input.backwardPairs.has([...loop].sort().join('\u0000'))) continue;
    findings.error('INVALID_ROUTING_MODEL', where(loop), `Loop detected in the routing model for screens: ${loop.join(', ')}.`);
  }
  const deg = inDegrees(order, graph);
  const roots = order.filter((id) => deg.get(id) === 0 && !input.excluded.has(id));
  const entry = roots.find((id) => (graph.get(id) ?? []).length > 0) ?? roots[0];
  if (entry === undefined) {
    findings.error(
      'INVALID_ROUTING_MODEL',
      supplied ? '/routing_model' : '/screens',
      supplied
        ? 'No entry screen found in the routing model. Expected a screen with no inbound edges as the entry screen.'
        : 'No entry screen found in the routing model. Add a screen that is not used as the next screen in any of the navigate actions.',
    );
    return;
  }
  const reached = reachableFrom(graph, entry);
  const unreached = order.filter((id) => !reached.has(id) && !input.excluded.has(id));
  if (unreached.length > 0) {
    if (supplied) {
      findings.error('INVALID_ROUTING_MODEL', firstPointer(unreached), `Following screens are not connected with the rest of the screens : ${unreached.join(', ')}. All screens should be connected.`);
    } else {
      const isolated = unreached.filter((id) => deg.get(id) === 0 && (graph.get(id) ?? []).length === 0);
      const rest = unreached.filter((id) => !isolated.includes(id));
      if (isolated.length > 0) {
        findings.error('INVALID_ROUTING_MODEL', firstPointer(isolated), `Following screens are not connected to any of the screens: ${isolated.join(', ')}. A connection is formed by the navigate screen action.`);
      }
      if (rest.length > 0) {
        findings.error('INVALID_ROUTING_MODEL', firstPointer(rest), `Following screens are not connected with the rest of the screens via navigate screen action: ${rest.join(', ')}. All screens should be connected.`);
      }
    }
  }
}
