/**
 * The customisation file: per-field label, help, component, order and screen
 * grouping, and per-flow texts. Written in YAML by people, so it is validated
 * with path-based errors like a FormModel file.
 * @module
 */
import { z } from 'zod';
import { issuesToErrors, type FormFileError } from '../form/parse-form-model-file.js';

/** Components a field may be forced to (when the field type allows it). */
export const OVERRIDE_COMPONENTS = ['radio', 'dropdown', 'checkbox', 'chips', 'text', 'textarea', 'date', 'calendar'] as const;

/** Validates {@link CompileOverrides}. */
export const overridesSchema = z.strictObject({
  flow: z
    .strictObject({
      title: z.string().min(1).optional(),
      nextLabel: z.string().min(1).optional(),
      reviewTitle: z.string().min(1).optional(),
      confirmLabel: z.string().min(1).optional(),
      successTitle: z.string().min(1).optional(),
      successMessage: z.string().min(1).optional(),
      submitLabel: z.string().min(1).optional(),
    })
    .optional(),
  fields: z
    .record(
      z.string(),
      z.strictObject({
        label: z.string().min(1).optional(),
        help: z.string().optional(),
        component: z.enum(OVERRIDE_COMPONENTS).optional(),
        /** Sort key within its page; a field without one sorts by its 0-based position in the page (ties keep page order). */
        order: z.number().optional(),
        /** Fields of a page sharing a group name are put on the same screen. */
        screen: z.string().min(1).optional(),
      }),
    )
    .optional(),
});

/** Customisations of one compilation. */
export type CompileOverrides = z.infer<typeof overridesSchema>;

/**
 * Validate an overrides value (already parsed from YAML or JSON).
 * @example
 * parseOverrides(parse(yamlText))
 */
export function parseOverrides(value: unknown): { ok: true; overrides: CompileOverrides } | { ok: false; errors: FormFileError[] } {
  const r = overridesSchema.safeParse(value);
  return r.success ? { ok: true, overrides: r.data } : { ok: false, errors: issuesToErrors(r.error) };
}
