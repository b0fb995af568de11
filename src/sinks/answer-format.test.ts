import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { FormField } from '../core/form/index.js';
import { AnswerRefusal, answerText, choiceTexts, clockTime, gridEntries, isoDateParts, twelveHour } from './answer-format.js';

const field = (extra: Partial<FormField> = {}): FormField => ({ id: 'f', key: 'k', label: 'Pick', type: 'single_choice', required: false, ...extra });
const refusal = (f: () => unknown): AnswerRefusal => {
  try {
    f();
  } catch (e) {
    if (e instanceof AnswerRefusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('answer-format', () => {
  it('single values as text, booleans as Yes/No, anything else refused on the field key', () => {
    fc.assert(fc.property(fc.string(), (s) => answerText(field(), s) === s));
    fc.assert(fc.property(fc.integer(), (n) => answerText(field(), n) === String(n)));
    expect([answerText(field(), true), answerText(field(), false)]).toEqual(['Yes', 'No']);
    expect(refusal(() => answerText(field(), { a: 'b' })).field).toBe('k');
  });

  it('splits choices into known options and the rest', () => {
    const f = field({ options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] } as Partial<FormField>);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'x', 'y')), (vs) => {
        const { values, known, others } = choiceTexts(f, vs);
        expect(values).toEqual(vs);
        expect(others).toEqual(vs.filter((v) => !known.has(v)));
        expect([...known].sort()).toEqual(['a', 'b']);
      }),
    );
  });

  it('grid answers must be an object of rows', () => {
    expect(refusal(() => gridEntries(field({ type: 'grid' }), ['x'])).reason).toContain('one answer per row');
    expect(gridEntries(field({ type: 'grid' }), { r: 'c' }).entries).toEqual([['r', 'c']]);
  });

  it('ISO dates round-trip through their parts; other text is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (y, m, d) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const p = isoDateParts(field({ type: 'date' }), iso);
        expect(`${p.year}-${p.month}-${p.day}`).toBe(iso);
        expect(p.hour).toBeUndefined();
      }),
    );
    expect(isoDateParts(field({ type: 'datetime' }), '2024-01-02T13:45')).toMatchObject({ hour: '13', minute: '45' });
    expect(refusal(() => isoDateParts(field(), '02/01/2024')).reason).toContain('YYYY-MM-DD');
  });

  it('clock times up to 23:59 on a 12-hour clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const t = clockTime(field({ type: 'time' }), `${h}:${String(m).padStart(2, '0')}`);
        expect(t).toEqual({ hour: h, minute: String(m).padStart(2, '0') });
        const twelve = twelveHour(h);
        expect((twelve.hour % 12) + (twelve.meridiem === 'PM' ? 12 : 0)).toBe(h);
      }),
    );
    expect(refusal(() => clockTime(field({ type: 'time' }), '24:00')).reason).toContain('HH:MM');
  });
});
