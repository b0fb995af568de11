import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyValue } from './classify-value.js';

describe('classifyValue', () => {
  it('classifies static text, bindings and expressions', () => {
    expect(classifyValue('Hello')).toEqual({ kind: 'static' });
    expect(classifyValue('Price: $5 {x}')).toEqual({ kind: 'static' });
    expect(classifyValue('${data.name}')).toEqual({ kind: 'binding', ref: { kind: 'data', path: ['name'] } });
    const e = classifyValue("`'Hi ' ${form.name}`");
    expect(e.kind).toBe('expression');
    if (e.kind === 'expression') expect(e.expr.start).toBe(1);
  });

  it('rejects text mixed with a binding, pointing at the reference', () => {
    const r = classifyValue('Hello ${data.name}');
    expect(r).toMatchObject({ kind: 'error', column: 7 });
  });

  it('rejects malformed whole bindings', () => {
    expect(classifyValue('${user.name}')).toMatchObject({ kind: 'error', column: 1, message: expect.stringContaining('Invalid reference') });
  });

  it('reports expression errors in columns of the whole value', () => {
    expect(classifyValue('`1 + `')).toMatchObject({ kind: 'error', column: 6 });
    expect(classifyValue('`()`')).toMatchObject({ kind: 'error', column: 2, message: 'Found invalid empty parentheses at column 2' });
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = classifyValue(s);
        if (r.kind === 'error') {
          expect(r.column).toBeGreaterThanOrEqual(1);
          expect(r.column).toBeLessThanOrEqual(s.length + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
