import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRef, parseRef, sameRef, type Ref } from './ref.js';

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const refArb: fc.Arbitrary<Ref> = fc.oneof(
  fc.record({ kind: fc.constantFrom('data' as const, 'form' as const), path: fc.array(segment, { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('screen' as const),
    screen: segment,
    source: fc.constantFrom('data' as const, 'form' as const),
    path: fc.array(segment, { minLength: 1, maxLength: 3 }),
  }),
);

describe('parseRef / formatRef', () => {
  it('round-trips every reference', () => {
    fc.assert(
      fc.property(refArb, (ref) => {
        expect(parseRef(formatRef(ref))).toEqual(ref);
      }),
    );
  });

  it('never throws and only accepts text it can print back identically', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), segment.map((s) => `\${data.${s}}`), fc.string().map((s) => `\${${s}}`)), (text) => {
        const ref = parseRef(text);
        if (ref) expect(formatRef(ref)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses the three kinds', () => {
    expect(parseRef('${data.a.b}')).toEqual({ kind: 'data', path: ['a', 'b'] });
    expect(parseRef('${form.first_name}')).toEqual({ kind: 'form', path: ['first_name'] });
    expect(parseRef('${screen.SCREEN_ONE.form.field1}')).toEqual({ kind: 'screen', screen: 'SCREEN_ONE', source: 'form', path: ['field1'] });
  });

  it.each(['${data}', '${form.}', '${screen.A.data}', '${screen.A.x.y}', '${user.a}', ' ${data.a}', '${data.a} ', '${data.a b}', 'data.a', '${data..a}'])(
    'rejects %j',
    (text) => {
      expect(parseRef(text)).toBeUndefined();
    },
  );

  it('compares references by what they name', () => {
    expect(sameRef({ kind: 'data', path: ['a'] }, { kind: 'data', path: ['a'] })).toBe(true);
    expect(sameRef({ kind: 'data', path: ['a'] }, { kind: 'form', path: ['a'] })).toBe(false);
  });
});
