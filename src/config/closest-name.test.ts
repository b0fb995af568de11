import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { closestName, editDistance } from './closest-name.js';

describe('editDistance', () => {
  it('is zero exactly on equal strings, symmetric and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });

  it('counts a swap of neighbouring characters as one edit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b'), fc.constantFrom('c', 'd'), fc.string({ maxLength: 6 }), (pre, x, y, post) => {
        expect(editDistance(pre + x + y + post, pre + y + x + post)).toBe(1);
      }),
    );
  });

  it('counts one edit per inserted character', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ minLength: 1, maxLength: 1 }), (a, ch) => {
        expect(editDistance(a, a + ch)).toBe(1);
      }),
    );
  });
});

describe('closestName', () => {
  const names = ['FLOWBRIDGE_PORT', 'FLOWBRIDGE_HOST', 'FLOWBRIDGE_APP_SECRET'];

  it('suggests the intended name for a typo', () => {
    expect(closestName('FLOWBRIDGE_PROT', names)).toBe('FLOWBRIDGE_PORT');
    expect(closestName('flowbridge_app_secrets', names)).toBe('FLOWBRIDGE_APP_SECRET');
  });

  it('suggests nothing for an unrelated name', () => {
    expect(closestName('DATABASE', names)).toBeUndefined();
  });
});
