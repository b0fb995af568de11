/**
 * Linear-time graph algorithms over screen routes: reachability and cycles
 * (strongly connected components). Used by the routing-model rule so that a
 * 100-screen flow costs O(screens + edges), never a path enumeration.
 * @module
 */

/** Directed graph: node → distinct successors, in insertion order. */
export type RouteGraph = ReadonlyMap<string, readonly string[]>;

/** Nodes reachable from `start` (itself included), breadth first. */
export function reachableFrom(graph: RouteGraph, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const next of graph.get(queue[i] ?? '') ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * Strongly connected components with more than one node (each is a loop),
 * in discovery order, members in `nodes` order. Tarjan's algorithm with an
 * explicit stack, so deep graphs cannot overflow the call stack.
 */
export function loopsOf(nodes: readonly string[], graph: RouteGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const order = new Map(nodes.map((n, i) => [n, i]));
  const out: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      const succ = graph.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++] ?? '';
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(w) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1) out.push(component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
      }
    }
  }
  return out;
}

/** Number of inbound edges per node (nodes outside `nodes` ignored). */
export function inDegrees(nodes: readonly string[], graph: RouteGraph): Map<string, number> {
  const deg = new Map(nodes.map((n) => [n, 0]));
  for (const targets of graph.values()) {
    for (const t of targets) if (deg.has(t)) deg.set(t, (deg.get(t) ?? 0) + 1);
  }
  return deg;
}
