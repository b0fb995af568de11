import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseRecipient } from './recipient-phone.js';

describe('normaliseRecipient', () => {
  it('accepts international numbers in the usual spellings', () => {
    for (const s of ['+31 6 1234 5678', '31612345678', '+31-6-12345678', '+1 (650) 555-1234', ' 4915123456789 ']) expect(normaliseRecipient(s).ok).toBe(true);
    expect(normaliseRecipient('+1 (650) 555-1234')).toEqual({ ok: true, waId: '16505551234' });
  });

  it('refuses text, too short numbers and unknown country codes with the fix', () => {
    for (const s of ['', 'abc', '12', '+999 123 456', '+31 6 1234 5678 ext 9', '31612345678; drop']) {
      const r = normaliseRecipient(s);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toMatch(/international form/);
    }
  });

  it('never throws; any accepted number is 7–15 digits and normalises to itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?[\d ()-]{0,20}$/)), (s) => {
        const r = normaliseRecipient(s);
        if (r.ok) {
          expect(r.waId).toMatch(/^\d{7,15}$/);
          expect(normaliseRecipient(r.waId)).toEqual(r);
          expect(normaliseRecipient(`+${r.waId}`)).toEqual(r);
        }
      }),
      { numRuns: 500 },
    );
    // Found by this property: libphonenumber calls +43 0000 possible; no reachable number is that short.
    expect(normaliseRecipient('+430000').ok).toBe(false);
  });
});
