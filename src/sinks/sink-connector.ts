/**
 * The contract every sink implements: one folder per destination under
 * `src/sinks/<system>/`, exporting one `SinkConnector`, listed in
 * `registry.ts`. The delivery pipeline (src/queue, src/services) calls
 * `deliver` at least once per (submission, sink); a sink makes that exactly
 * once in effect with the idempotency key, a check before writing, or the
 * progress it saved on an earlier attempt.
 * @module
 */
import type { z } from 'zod';
import type { SourceValue } from '../core/compile/map-answers-to-source.js';
import type { FormModel } from '../core/form/index.js';
import type { HttpSender } from './http/http-sender.js';

/** An uploaded file that belongs to an answer (decrypted, stored privately). */
export interface SubmissionFile {
  /** The FormModel field's source key. */
  readonly fieldKey: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly size: number;
  /** Reads the bytes from the media store (never logged). */
  read(): Promise<Uint8Array>;
}

/** One completed flow, with its answers in the source form's own terms. */
export interface Submission {
  /** Stable id; with the sink id it makes the idempotency key. */
  readonly id: string;
  readonly flowToken: string;
  /** The form the answers belong to (field types, labels, option values, source ids). */
  readonly form: FormModel;
  /** Keyed by field source key, as `mapAnswersToSource` returns them: hidden fields included, untaken branches absent. */
  readonly answers: Readonly<Record<string, SourceValue>>;
  readonly files: readonly SubmissionFile[];
  readonly contact: { readonly phone: string; readonly name?: string };
  /** ISO-8601 UTC. */
  readonly submittedAt: string;
  /** Campaign, link, ad…: how the person reached the flow. */
  readonly entryPoint?: string;
}

/** What one delivery attempt came to. The pipeline retries `retry`, dead-letters `permanent`. */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly externalId?: string; readonly note?: string }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'permanent'; readonly reason: string; readonly field?: string };

/** Durable per-(submission, sink) memory for multi-step sinks (e.g. "contact created: id 42"). */
export interface ProgressStore {
  get(step: string): Promise<string | undefined>;
  set(step: string, value: string): Promise<void>;
}

export interface DeliveryContext<Settings> {
  readonly settings: Settings;
  /** Stable for (submission, sink) across every attempt and replay. */
  readonly idempotencyKey: string;
  readonly progress: ProgressStore;
  /** Injected for tests; global fetch by default. Sinks send through `senderOf(ctx)` (http/http-sender.ts). */
  readonly fetch: typeof fetch;
  /** The lean HTTP sender (undici in production); absent = an adapter over `fetch`. */
  readonly http?: HttpSender;
  readonly now: () => Date;
}

export interface SinkConnector<Settings = unknown> {
  /** kebab-case, equal to the folder name. */
  readonly id: string;
  readonly displayName: string;
  /** Destination settings (URLs, ids, secrets as strings); validated at configuration time. */
  readonly settingsSchema: z.ZodType<Settings>;
  /** Problems that make this sink unable to take this form at all (checked at configuration time, not at delivery). */
  checkForm?(form: FormModel, settings: Settings): string[];
  /** One attempt. Never throws for an answer from the destination: classify it. Throws only for programming errors. */
  deliver(ctx: DeliveryContext<Settings>, submission: Submission): Promise<DeliveryOutcome>;
}

/** Identity function that fixes the type parameter. */
export function defineSink<S>(sink: SinkConnector<S>): SinkConnector<S> {
  return sink;
}

/** Classify an HTTP status the usual way: 429/5xx/408 retry (honouring Retry-After), other 4xx permanent. */
export function classifyStatus(status: number, reason: string, retryAfterHeader?: string | null): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 429 || status === 408 || status >= 500) {
    const seconds = retryAfterHeader && /^\d+$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader.trim()) * 1000 : undefined;
    return seconds === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: seconds };
  }
  return { kind: 'permanent', reason };
}

/**
 * A permanent outcome with the form field its message names, when the
 * destination names the question by its own id (Jotform "question 12",
 * SurveyMonkey "question '1234'"). `sourceProp` is the field's `source`
 * entry holding that id. Other outcomes pass through unchanged.
 */
export function withNamedField(outcome: DeliveryOutcome, form: FormModel, pattern: RegExp, sourceProp: string): DeliveryOutcome {
  if (outcome.kind !== 'permanent') return outcome;
  const id = pattern.exec(outcome.reason)?.[1];
  if (id === undefined) return outcome;
  const field = form.pages.flatMap((p) => p.fields).find((f) => f.source?.[sourceProp] === id)?.key;
  return field === undefined ? outcome : { ...outcome, field };
}
