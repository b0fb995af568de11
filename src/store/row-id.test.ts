import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRowId } from './row-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRowId', () => {
  it('makes RFC 9562 version 7 UUIDs carrying the millisecond', () => {
    const at = Date.UTC(2026, 10, 26, 12, 0, 0, 123);
    const id = newRowId(at + 10_000_000);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 10_000_000);
  });

  it('is unique and strictly increasing as text, within one millisecond and across many (property)', () => {
    fc.assert(fc.property(fc.array(fc.nat(3), { minLength: 1, maxLength: 5000 }), (steps) => {
      let clock = Date.now() + 20_000_000 + Math.floor(Math.random() * 1e6);
      const ids = steps.map((step) => newRowId((clock += step)));
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      expect(ids.every((id) => V7.test(id))).toBe(true);
    }), { numRuns: 30 });
  });

  it('keeps increasing when 5,000 ids share one millisecond (the counter carries into the next)', () => {
    const at = Date.now() + 40_000_000;
    const ids = Array.from({ length: 5000 }, () => newRowId(at));
    expect(new Set(ids).size).toBe(5000);
    expect([...ids].sort()).toEqual(ids);
  });
});
