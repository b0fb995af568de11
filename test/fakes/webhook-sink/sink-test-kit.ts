/**
 * Building blocks for sink tests: an in-memory progress store, a delivery
 * context on the real global fetch, and a Submission from a FormModel.
 * @module
 */
import { formModelSchema, type FormModel, type FormModelInput } from '../../../src/core/form/index.js';
import type { SourceValue } from '../../../src/core/compile/map-answers-to-source.js';
import type { DeliveryContext, ProgressStore, Submission, SubmissionFile } from '../../../src/sinks/sink-connector.js';
import { memoryProgress } from '../shared/memory-progress.js';

export { stripAnnotations } from '../shared/fixture-loader.js';
export { memoryProgress };

/** A delivery context; the same `progress` across attempts makes them one delivery. */
export function deliveryContext<S>(settings: S, opts: { progress?: ProgressStore; idempotencyKey?: string; now?: Date; fetch?: typeof fetch } = {}): DeliveryContext<S> {
  return {
    settings,
    idempotencyKey: opts.idempotencyKey ?? 'sub-1:sink',
    progress: opts.progress ?? memoryProgress(),
    fetch: opts.fetch ?? fetch,
    now: () => opts.now ?? new Date(),
  };
}

/** Parse a hand-written FormModel. */
export function formModel(input: FormModelInput): FormModel {
  return formModelSchema.parse(input);
}

/** A file held in memory. */
export function memoryFile(fieldKey: string, fileName: string, mimeType: string, bytes: Uint8Array): SubmissionFile {
  return { fieldKey, fileName, mimeType, size: bytes.length, read: () => Promise.resolve(bytes) };
}

/** A submission of `form` with these answers. */
export function submissionOf(form: FormModel, answers: Record<string, SourceValue>, extra: Partial<Omit<Submission, 'form' | 'answers'>> = {}): Submission {
  return {
    id: 'sub-1',
    flowToken: 'flow-token-1',
    contact: { phone: '+31612345678' },
    submittedAt: '2024-10-01T10:00:05.000Z',
    files: [],
    ...extra,
    form,
    answers,
  };
}

