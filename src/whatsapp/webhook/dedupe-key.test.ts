import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, dedupeKey } from './dedupe-key.js';

/** Rebuild objects with their keys in reverse insertion order. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
  return value;
}

describe('canonicalJson', () => {
  it('is valid JSON of the same value, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = canonicalJson(value);
        expect(json).toBeDefined();
        expect(JSON.parse(json!)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(reorder(value))).toBe(json);
      }),
    );
  });

  it('gives up beyond its depth limit instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = { a: deep };
    expect(canonicalJson(deep)).toBeUndefined();
  });
});

describe('dedupeKey', () => {
  it('keeps short printable keys readable and hashes the rest into bounded ASCII', () => {
    expect(dedupeKey('status', 'wamid.X', 'read')).toBe('status:wamid.X:read');
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const key = dedupeKey('message', a, b);
        expect(key).toMatch(/^[\x21-\x7e]{1,200}$/);
        expect(key.startsWith('message:')).toBe(true);
        expect(dedupeKey('message', a, b)).toBe(key);
      }),
    );
  });

  it('distinguishes different parts even when hashed', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 201, maxLength: 300 }), fc.string({ minLength: 1, maxLength: 5 }), (long, extra) => {
        expect(dedupeKey('m', long)).not.toBe(dedupeKey('m', long + extra));
      }),
      { numRuns: 50 },
    );
  });
});
