import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { payloadRefs } from './action-payloads.js';

describe('payloadRefs', () => {
  it('marks only direct whole bindings as top-level', () => {
    const refs = payloadRefs(
      { a: '${form.photo}', b: { c: '${form.doc}' }, d: ['${data.x}'], e: '`${form.n} + 1`', f: 'plain' },
      '/p',
    );
    expect(refs.map((r) => [r.pointer, r.topLevelBinding])).toEqual([
      ['/p/a', true],
      ['/p/b/c', false],
      ['/p/d/0', false],
      ['/p/e', false],
    ]);
  });

  it('finds one reference per generated binding, wherever it is nested', () => {
    const name = fc.stringMatching(/^[a-z_]{1,8}$/);
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(name.map((n) => `\${form.${n}}`), name.map((n) => ({ inner: `\${data.${n}}` })))), (payload) => {
        const refs = payloadRefs(payload, '');
        expect(refs.length).toBe(Object.keys(payload).length);
        for (const r of refs) expect(r.topLevelBinding).toBe(r.ref.kind === 'form');
      }),
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => Array.isArray(payloadRefs(v, '/x'))));
  });
});
