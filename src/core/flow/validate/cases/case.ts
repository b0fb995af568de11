/**
 * The validation corpus: each case is a Flow JSON document that breaks exactly
 * one rule, and the finding the validator must report for it.
 * Case files are `*.cases.ts` in this folder, each exporting `cases`.
 * @module
 */
import type { JsonObject } from '../../json.js';

export interface ValidationCase {
  /** Unique, kebab-case. */
  readonly id: string;
  /** The rule broken, in words (e.g. "TextInput label over 20 chars"). */
  readonly rule: string;
  readonly flow: JsonObject;
  /** Validate as this version instead of the document's own. */
  readonly versionOverride?: string;
  readonly expect: {
    readonly code: string;
    readonly pointer: string;
    /** Default 'error'. A warning case expects no errors at all. */
    readonly severity?: 'error' | 'warning';
    /** A substring the message must contain. */
    readonly message?: string;
  };
}

/** Deep-copy `base`, apply `edit` to the copy and return it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cases edit arbitrary (even invalid) shapes
export function mutate(base: JsonObject, edit: (flow: any) => void): JsonObject {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
}
