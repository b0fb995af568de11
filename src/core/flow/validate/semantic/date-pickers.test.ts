import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseIsoDate } from './date-pickers.js';

describe('parseIsoDate', () => {
  it('accepts real dates and rejects impossible ones', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2025-13-01')).toBeUndefined();
    expect(parseIsoDate('2025-1-01')).toBeUndefined();
    expect(parseIsoDate('1693569600000')).toBeUndefined();
  });

  it('accepts every date Date itself formats, and order of text is order of time', () => {
    const day = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(parseIsoDate(a)).toBe(a);
        expect(a < b).toBe(Date.parse(a) < Date.parse(b));
      }),
    );
  });

  it('never throws and only accepts the YYYY-MM-DD shape', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseIsoDate(s);
        if (parsed !== undefined) expect(parsed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});
