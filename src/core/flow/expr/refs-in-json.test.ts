import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refsInJson } from './refs-of.js';

describe('refsInJson', () => {
  it('finds references in nested payload values with their pointers', () => {
    const payload = {
      a: '${form.a}',
      b: ['static', { c: "`${data.c} ' ' ${form.a}`" }],
      d: 'Hello ${data.bad}',
      e: 3,
    };
    expect(refsInJson(payload, '/p')).toEqual([
      { ref: { kind: 'form', path: ['a'] }, pointer: '/p/a', via: 'binding' },
      { ref: { kind: 'data', path: ['c'] }, pointer: '/p/b/1/c', via: 'expression' },
      { ref: { kind: 'form', path: ['a'] }, pointer: '/p/b/1/c', via: 'expression' },
    ]);
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(Array.isArray(refsInJson(v))).toBe(true);
      }),
    );
  });
});
