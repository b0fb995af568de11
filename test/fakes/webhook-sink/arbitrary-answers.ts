/**
 * fast-check arbitraries of answers a form could produce, per field type:
 * mostly plausible values, sometimes invalid ones (bad emails, unknown
 * option values), so property tests cover both "accepted" and "refused
 * with a reason".
 * @module
 */
import fc from 'fast-check';
import type { SourceValue } from '../../../src/core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../../src/core/form/index.js';

const isoDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** One answer for a field of this type. */
export function answerFor(f: FormField): fc.Arbitrary<SourceValue> {
  const values = (f.options ?? []).map((o) => o.value);
  const oneValue = values.length > 0 ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.string() }) : fc.string();
  switch (f.type) {
    case 'email':
      return fc.oneof({ weight: 4, arbitrary: fc.emailAddress() }, { weight: 1, arbitrary: fc.string() });
    case 'number':
    case 'rating':
    case 'scale':
    case 'nps':
      return fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }));
    case 'date':
      return isoDate;
    case 'datetime':
      return fc.tuple(isoDate, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([d, h, m]) => `${d}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    case 'time':
      return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    case 'phone':
      return fc.oneof(fc.stringMatching(/^\+[1-9]\d{7,12}$/), fc.string());
    case 'yes_no':
    case 'consent':
      return fc.boolean();
    case 'multiple_choice':
      return fc.array(oneValue, { minLength: 1, maxLength: 4 });
    case 'single_choice':
    case 'dropdown':
      return oneValue;
    case 'grid':
      return fc.record(Object.fromEntries((f.rows ?? []).map((r) => [r.key, fc.constantFrom(...(values.length > 0 ? values : ['x']))])));
    case 'short_text':
    case 'long_text':
    case 'url':
    case 'hidden':
    case 'file':
    case 'statement':
      return fc.string();
  }
}

/** Answers for a random subset of the form's answerable fields (files and statements excluded). */
export function arbitraryAnswers(form: FormModel): fc.Arbitrary<Record<string, SourceValue>> {
  const fields = form.pages.flatMap((p) => p.fields).filter((f) => f.type !== 'statement' && f.type !== 'file');
  const model: Record<string, fc.Arbitrary<SourceValue>> = {};
  for (const f of fields) model[f.key] = answerFor(f);
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, SourceValue>>;
}
