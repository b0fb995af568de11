import { describe, expect, it } from 'vitest';
import { staticFlow } from './cases/base.js';
import { MAX_NESTING_DEPTH, nestingDepth, validateFlow } from './validate-flow.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { child: value };
  return value;
}

describe('validateFlow guards', () => {
  it('measures nesting depth without recursion', () => {
    expect(nestingDepth('x', 10)).toBe(0);
    expect(nestingDepth({ a: [1, { b: 2 }] }, 10)).toBe(3);
    expect(nestingDepth(nested(100_000), MAX_NESTING_DEPTH)).toBe(MAX_NESTING_DEPTH + 1);
  });

  it('refuses a hugely nested document with one finding instead of overflowing the stack', () => {
    const flow = staticFlow() as any;
    flow.screens[0].layout.children.push(nested(5000));
    const result = validateFlow(flow);
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'FB_MAX_NESTING_DEPTH', pointer: '' })]);
  });

  it('accepts the base flow, whose depth is well below the limit', () => {
    expect(nestingDepth(staticFlow(), 100)).toBeLessThan(MAX_NESTING_DEPTH / 4);
    expect(validateFlow(staticFlow()).findings).toEqual([]);
  });
});
