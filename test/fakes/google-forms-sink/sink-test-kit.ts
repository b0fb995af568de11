/**
 * Helpers the sink tests share: a Submission around a FormModel, an
 * in-memory ProgressStore, a DeliveryContext with the global fetch, and the
 * FormModel a source connector maps from a fixture form, and a form with
 * every field type plus random answers for encoder property tests.
 * @module
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { compileForm } from '../../../src/core/compile/compile-form.js';
import { mapAnswersToSource } from '../../../src/core/compile/map-answers-to-source.js';
import type { SourceValue } from '../../../src/core/compile/map-answers-to-source.js';
import { formModelSchema, type FormModel, type FormModelInput } from '../../../src/core/form/index.js';
import type { DeliveryContext, ProgressStore, Submission } from '../../../src/sinks/sink-connector.js';
import { runCompiled } from '../../compile/run-compiled.js';
import { memoryProgress as sharedMemoryProgress } from '../shared/memory-progress.js';

/** A submission of `answers` to `form`. */
export function makeSubmission(form: FormModel, answers: Record<string, SourceValue>, extra: Partial<Submission> = {}): Submission {
  return {
    id: 'sub-0001',
    flowToken: 'ft-0001',
    form,
    answers,
    files: [],
    contact: { phone: '34600123456' },
    submittedAt: '2024-10-01T10:00:05.000Z',
    ...extra,
  };
}

/** A ProgressStore in memory (what the pipeline keeps per submission and sink). */
export function memoryProgress(): ProgressStore & { readonly steps: Map<string, string> } {
  const store = sharedMemoryProgress();
  return { ...store, steps: store.saved };
}

/** A context for one sink with `settings`; `progress` persists across attempts when passed in. */
export function makeContext<S>(settings: S, progress: ProgressStore = memoryProgress(), idempotencyKey = 'sub-0001:sink'): DeliveryContext<S> {
  return { settings, idempotencyKey, progress, fetch: globalThis.fetch, now: () => new Date('2024-10-01T10:00:06Z') };
}

/** A source fixture parsed as JSON. */
export function sourceFixture(system: string, name: string): unknown {
  return JSON.parse(readFileSync(`/work/shared/fixtures/sources/${system}/${name}`, 'utf8'));
}

/** A hand-written FormModel, validated (defaults applied). */
export function formModel(input: FormModelInput): FormModel {
  return formModelSchema.parse(input);
}

const opts = [{ id: 'a', value: 'A', label: 'Alpha' }, { id: 'b', value: 'B', label: 'Beta' }];
/** A form with a field of every type (and the source metadata encoders read), for encoder property tests. */
export const ALL_TYPES_FORM: FormModel = formModel({
  id: 'all-types',
  title: 'All types',
  source: { system: 'file', formId: 'all-types' },
  pages: [
    {
      id: 'p1',
      fields: [
        { id: 'st', key: 'st', type: 'short_text', label: 'Short' },
        { id: 'lt', key: 'lt', type: 'long_text', label: 'Long' },
        { id: 'em', key: 'em', type: 'email', label: 'Email' },
        { id: 'ph', key: 'ph', type: 'phone', label: 'Phone' },
        { id: 'nu', key: 'nu', type: 'number', label: 'Number' },
        { id: 'ur', key: 'ur', type: 'url', label: 'URL' },
        { id: 'da', key: 'da', type: 'date', label: 'Date', source: { includeYear: false, dateFormat: 'DD/MM/YYYY' } },
        { id: 'ti', key: 'ti', type: 'time', label: 'Time', source: { duration: true, timeFormat: 'AM/PM' } },
        { id: 'dt', key: 'dt', type: 'datetime', label: 'Date time', source: { rowId: 'r9' } },
        { id: 'sc', key: 'sc', type: 'single_choice', label: 'Single', options: opts, allowOther: true, source: { otherId: 'o1' } },
        { id: 'mc', key: 'mc', type: 'multiple_choice', label: 'Multi', options: opts },
        { id: 'dd', key: 'dd', type: 'dropdown', label: 'Drop', options: opts },
        { id: 'yn', key: 'yn', type: 'yes_no', label: 'Yes/no' },
        { id: 'co', key: 'co', type: 'consent', label: 'Consent' },
        { id: 'ra', key: 'ra', type: 'rating', label: 'Rating', scale: { min: 1, max: 3 }, source: { rowId: 'r1', choiceIds: ['c1', 'c2', 'c3'] } },
        { id: 'sl', key: 'sl', type: 'scale', label: 'Scale', scale: { min: 0, max: 4 } },
        { id: 'np', key: 'np', type: 'nps', label: 'NPS', scale: { min: 0, max: 10 } },
        { id: 'fi', key: 'fi', type: 'file', label: 'File' },
        { id: 'gr', key: 'gr', type: 'grid', label: 'Grid', options: opts, rows: [{ id: 'r1', key: 'gr1', label: 'Row 1' }, { id: 'r2', key: 'gr2', label: 'Row 2' }] },
        { id: 'hi', key: 'hi', type: 'hidden', label: '', source: { customVariable: true } },
        { id: 'tx', key: 'tx', type: 'statement', label: 'Hello' },
        { id: 'cf', key: 'contact[firstName]', type: 'short_text', label: 'First name' },
      ],
    },
  ],
});

/** Any value a Submission may hold for a key, well-formed or not. */
export const anySourceValue: fc.Arbitrary<SourceValue> = fc.oneof(
  fc.string(),
  fc.constantFrom('A', 'B', '2024-11-05', '2024-11-05T09:30', '09:30', 'a@b.co', 'https://x.y/f.pdf'),
  fc.double(),
  fc.integer({ min: -2, max: 12 }),
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.constantFrom('A', 'B')), { maxLength: 3 }),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('gr1', 'gr2')), fc.oneof(fc.string(), fc.constantFrom('A', 'B'))),
  fc.array(fc.anything(), { maxLength: 2 }),
);

/** Random answers for {@link ALL_TYPES_FORM}. */
export const anyAnswers: fc.Arbitrary<Record<string, SourceValue>> = fc.dictionary(
  fc.constantFrom(...ALL_TYPES_FORM.pages.flatMap((p) => p.fields.map((f) => f.key))),
  anySourceValue,
);

/** Every field key of {@link ALL_TYPES_FORM}. */
export const ALL_TYPES_KEYS: readonly string[] = ALL_TYPES_FORM.pages.flatMap((p) => p.fields.map((f) => f.key));

/** A list for the fakes a test file starts; every one is closed after the file's last test. */
export function closedAfterAll(): Array<{ close(): Promise<void> }> {
  const fakes: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(fakes.map((f) => f.close()));
  });
  return fakes;
}

/** Compile `form`, run it to completion with generated answers, and return them keyed as the source expects. */
export async function completedAnswers(form: FormModel): Promise<Record<string, SourceValue>> {
  const result = compileForm(form);
  const run = await runCompiled(result);
  expect(run.status).toBe('completed');
  return mapAnswersToSource(result.fieldMap, run.response ?? {}, run.endpointAnswers);
}
