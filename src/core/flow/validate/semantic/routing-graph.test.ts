import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { inDegrees, loopsOf, reachableFrom, type RouteGraph } from './routing-graph.js';

const graphOf = (edges: Array<[string, string]>): Map<string, string[]> => {
  const g = new Map<string, string[]>();
  for (const [a, b] of edges) {
    const list = g.get(a) ?? [];
    if (!list.includes(b)) list.push(b);
    g.set(a, list);
  }
  return g;
};

/** Naive reference: is `to` reachable from `from` by repeated relaxation. */
const naiveReach = (nodes: string[], g: RouteGraph, from: string): Set<string> => {
  const seen = new Set([from]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of [...seen]) for (const m of g.get(n) ?? []) if (!seen.has(m)) changed = seen.add(m) !== undefined;
  }
  return new Set(nodes.filter((n) => seen.has(n)));
};

const arbGraph = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.constant(Array.from({ length: n }, (_, i) => `N${i}`)),
      fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 30 }),
    ),
  )
  .map(([nodes, pairs]) => ({ nodes, graph: graphOf(pairs.filter(([a, b]) => a !== b).map(([a, b]) => [`N${a}`, `N${b}`])) }));

describe('routing graph', () => {
  it('finds a three-screen loop and nothing in a chain', () => {
    expect(loopsOf(['A', 'B', 'C', 'D'], graphOf([['A', 'B'], ['B', 'C'], ['C', 'D']]))).toEqual([]);
    expect(loopsOf(['A', 'B', 'C', 'D'], graphOf([['A', 'B'], ['B', 'C'], ['C', 'D'], ['D', 'B']]))).toEqual([['B', 'C', 'D']]);
  });

  it('counts inbound edges', () => {
    expect([...inDegrees(['A', 'B', 'C'], graphOf([['A', 'B'], ['C', 'B'], ['A', 'C']]))]).toEqual([['A', 0], ['B', 2], ['C', 1]]);
  });

  it('reachability matches a naive fixpoint', () => {
    fc.assert(
      fc.property(arbGraph, ({ nodes, graph }) => {
        const start = nodes[0] ?? 'N0';
        expect(new Set(nodes.filter((n) => reachableFrom(graph, start).has(n)))).toEqual(naiveReach(nodes, graph, start));
      }),
    );
  });

  it('a node is in a loop exactly when it reaches itself through a successor', () => {
    fc.assert(
      fc.property(arbGraph, ({ nodes, graph }) => {
        const inLoop = new Set(loopsOf(nodes, graph).flat());
        for (const n of nodes) {
          const cyclic = (graph.get(n) ?? []).some((m) => reachableFrom(graph, m).has(n));
          expect(inLoop.has(n)).toBe(cyclic);
        }
      }),
    );
  });

  it('handles a 10,000-screen chain without deep recursion', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => `N${i}`);
    const graph = graphOf(nodes.slice(1).map((n, i) => [nodes[i] ?? '', n]));
    graph.set('N9999', ['N0']);
    expect(loopsOf(nodes, graph)[0]?.length).toBe(10_000);
  });
});
