/**
 * The contract every form source implements: one folder per system under
 * `src/sources/<system>/`, exporting one `SourceConnector`, listed in
 * `registry.ts`. Adding a system touches nothing else.
 *
 * The read path is split in two so the network and the mapping can be tested
 * apart: `fetchDefinition` returns exactly what the system's read API returns
 * (the same text `flowbridge import --file` accepts), `mapDefinition` is pure.
 * @module
 */
import type { z } from 'zod';
import type { FormModel } from '../core/form/index.js';
import type { HttpClient } from './http-client.js';

/** One form in a system's listing. */
export interface FormSummary {
  readonly id: string;
  readonly title: string;
  readonly updatedAt?: string;
}

/** Something of the source form that the FormModel could not carry exactly. */
export interface UnmappedItem {
  /** JSON pointer into the raw definition. */
  readonly pointer: string;
  readonly reason: string;
}

/** The result of mapping a raw definition. */
export interface MappedForm {
  readonly model: FormModel;
  readonly unmapped: readonly UnmappedItem[];
}

/** What a connector call receives: an HTTP client already bound to the base URL and auth. */
export interface SourceContext {
  readonly http: HttpClient;
}

/** A raw definition: what the read API returned. Jotform's is two responses (questions, properties). */
export type RawDefinition = unknown;

export interface SourceConnector<Credentials = unknown> {
  /** kebab-case, equal to the folder name. */
  readonly id: string;
  readonly displayName: string;
  /** The system's real API base URL (overridable for fakes and proxies). */
  readonly defaultBaseUrl: string;
  /** Credentials this system needs; validated before any call. */
  readonly credentialsSchema: z.ZodType<Credentials>;
  /** Request headers that authenticate a call (e.g. `Authorization: Bearer …`). */
  authHeaders(credentials: Credentials): Record<string, string>;
  /** Every form the credentials can see, all pages followed. */
  listForms(ctx: SourceContext): Promise<FormSummary[]>;
  /** The form's definition exactly as the read API returns it. */
  fetchDefinition(ctx: SourceContext, formId: string): Promise<RawDefinition>;
  /** Pure: the definition as a FormModel, plus what could not be mapped. Throws AppError('USAGE_INVALID') when the input is not such a definition. */
  mapDefinition(definition: RawDefinition): MappedForm;
  /** The error message the system put in an error body, in its own words. */
  errorMessage(status: number, body: unknown): string;
}

/** Identity function that fixes the type parameter (definitions stay plain objects). */
export function defineSource<C>(connector: SourceConnector<C>): SourceConnector<C> {
  return connector;
}
