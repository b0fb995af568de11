import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayProblem, firstPickableDay, formatPickerDate, isoDate, toDay, weekDay } from './dates.js';

describe('dates', () => {
  it('parses ISO dates and ms timestamps to the same day', () => {
    expect(toDay('2024-10-21')).toBe(toDay(String(Date.UTC(2024, 9, 21))));
    expect(toDay('2024-02-30')).toBeUndefined();
    expect(toDay('21/10/2024')).toBeUndefined();
    expect(weekDay(toDay('2025-01-06')!)).toBe('Mon');
  });

  it('reads a business local-midnight timestamp as that date (UTC+1 and UTC-5)', () => {
    expect(isoDate(toDay('1696892400000')!)).toBe('2023-10-10'); // 2023-10-10T00:00+01:00
    expect(isoDate(toDay(String(Date.UTC(2024, 0, 1, 5)))!)).toBe('2024-01-01'); // 2024-01-01T00:00-05:00
  });

  it('ISO and timestamp formats round-trip (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 60_000 }), (day) => {
        expect(toDay(isoDate(day))).toBe(day);
        expect(toDay(formatPickerDate(day, false))).toBe(day);
        expect(toDay(formatPickerDate(day, true))).toBe(day);
      }),
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(fc.property(fc.anything(), (v) => {
      const d = toDay(v);
      expect(d === undefined || Number.isInteger(d)).toBe(true);
    }));
  });

  it('firstPickableDay returns a day with no problem, within bounds (property)', () => {
    const rules = fc.record({
      min: fc.integer({ min: 19_000, max: 19_100 }),
      span: fc.integer({ min: 0, max: 60 }),
      unavailable: fc.array(fc.integer({ min: 19_000, max: 19_200 }), { maxLength: 30 }),
      include: fc.subarray(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']),
    });
    fc.assert(
      fc.property(rules, (r) => {
        const dr = { min: r.min, max: r.min + r.span, unavailable: new Set(r.unavailable), includeDays: new Set(r.include) };
        const day = firstPickableDay(r.min, dr);
        if (day !== undefined) expect(dayProblem(day, dr)).toBeUndefined();
        else for (let d = dr.min; d <= dr.max; d++) expect(dayProblem(d, dr)).toBeDefined();
      }),
    );
  });
});
