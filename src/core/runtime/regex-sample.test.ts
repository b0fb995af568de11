import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexSamples } from './regex-sample.js';

describe('regexSamples', () => {
  it.each([
    ['^(19|20)\\d\\d-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$'],
    ['007'],
    ['^[A-Z]{2}\\d{4}$'],
    ['^(?:\\+?\\d{1,3})?[ -]?\\d{3,}$'],
    ['^[^@\\s]+@[a-z]+\\.(com|org)$'],
    ['^\\w+(\\.\\w+)*$'],
  ])('generates matches for %s', (pattern) => {
    const samples = regexSamples(pattern, 5);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(new RegExp(pattern, 'u').test(s)).toBe(true);
  });

  it('returns nothing for an invalid pattern', () => {
    expect(regexSamples('(')).toEqual([]);
  });

  /** Random regexes built from the supported subset. */
  const atom = fc.oneof(
    fc.constantFrom('a', 'Z', '7', '-', '\\d', '\\w', '\\.', '[a-c]', '[^0-9]', '[A-Fx]', '.'),
  );
  const quantified = fc.tuple(atom, fc.constantFrom('', '?', '*', '+', '{2}', '{1,3}', '{2,}')).map(([a, q]) => a + q);
  const sequence = fc.array(quantified, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(''));
  const pattern = fc.oneof(
    sequence,
    fc.tuple(sequence, sequence).map(([a, b]) => `(${a}|${b})`),
    fc.tuple(sequence, sequence).map(([a, b]) => `^${a}(?:${b})?$`),
  );

  it('every sample of a random regex matches it (property)', () => {
    fc.assert(
      fc.property(pattern, (p) => {
        const samples = regexSamples(p, 5);
        expect(samples.length).toBeGreaterThan(0);
        for (const s of samples) expect(new RegExp(p, 'u').test(s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary strings (property)', () => {
    fc.assert(fc.property(fc.string(), (p) => {
      const samples = regexSamples(p, 3);
      expect(Array.isArray(samples)).toBe(true);
    }));
  });
});
