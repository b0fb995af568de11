/**
 * One field of a FormModel: a question, a statement, or a hidden value. The
 * shape holds what every supported form tool can express (see
 * `docs/form-model.md`); the compiler decides how much of it a WhatsApp Flow
 * can show and reports the rest.
 * @module
 */
import { z } from 'zod';
import { conditionSchema } from './condition.js';

/** Every field type the model knows. */
export const FIELD_TYPES = [
  'short_text', 'long_text', 'email', 'phone', 'number', 'url', 'date', 'time', 'datetime',
  'single_choice', 'multiple_choice', 'dropdown', 'yes_no', 'consent', 'rating', 'scale', 'nps',
  'file', 'grid', 'hidden', 'statement',
] as const;
/** A field type. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** Field types that carry `options`. */
export const CHOICE_TYPES: readonly FieldType[] = ['single_choice', 'multiple_choice', 'dropdown', 'grid'];

/** A JSON-like scalar or list, as defaults and source metadata hold. */
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const sourceMeta = z.record(z.string(), z.union([jsonScalar, z.array(jsonScalar)]));

/** An option: stable `id` (used by conditions), the `value` the source expects back, and its label. */
export const optionSchema = z.strictObject({
  id: z.string().min(1),
  value: z.string(),
  label: z.string().min(1),
  description: z.string().optional(),
});
/** One option of a choice field. */
export type FieldOption = z.infer<typeof optionSchema>;

/** Validation rules, as the source form applies them. */
export const validationSchema = z.strictObject({
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
  pattern: z.string().optional(),
  patternMessage: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
  minDate: z.iso.date().optional(),
  maxDate: z.iso.date().optional(),
  /** Date bounds relative to the day of answering, in days (0 = today, 30 = today + 30 days, -7 = a week ago). */
  minDateOffset: z.number().int().optional(),
  maxDateOffset: z.number().int().optional(),
  /** Word limits of a text answer (words = runs of non-space characters). */
  minWords: z.number().int().positive().optional(),
  maxWords: z.number().int().positive().optional(),
  minSelected: z.number().int().nonnegative().optional(),
  maxSelected: z.number().int().positive().optional(),
  blockedDomains: z.array(z.string()).optional(),
});
/** Validation rules of a field. */
export type FieldValidation = z.infer<typeof validationSchema>;

/** A rating/scale/NPS range and its end labels. */
export const scaleSchema = z.strictObject({
  min: z.number().int(),
  max: z.number().int(),
  minLabel: z.string().optional(),
  maxLabel: z.string().optional(),
});

/** File-upload limits. `kind` decides PhotoPicker (image) or DocumentPicker. */
export const fileSchema = z.strictObject({
  kind: z.enum(['image', 'document', 'any']).default('any'),
  maxFiles: z.number().int().min(1).max(30).default(1),
  maxSizeKb: z.number().int().min(1).optional(),
  mimeTypes: z.array(z.string()).optional(),
});

/** A grid row: one sub-question answered with one of the field's options (columns). */
export const gridRowSchema = z.strictObject({ id: z.string().min(1), key: z.string().min(1), label: z.string().min(1) });

/** Validates one {@link FormField}. */
export const fieldSchema = z
  .strictObject({
    id: z.string().min(1),
    /** The name the source system uses for this field when answers are written back. */
    key: z.string().min(1),
    type: z.enum(FIELD_TYPES),
    label: z.string().default(''),
    help: z.string().optional(),
    placeholder: z.string().optional(),
    required: z.boolean().default(false),
    options: z.array(optionSchema).optional(),
    allowOther: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
    validation: validationSchema.optional(),
    scale: scaleSchema.optional(),
    file: fileSchema.optional(),
    rows: z.array(gridRowSchema).optional(),
    /** Statements only: how the text is shown. */
    style: z.enum(['heading', 'subheading', 'paragraph']).optional(),
    visibleWhen: conditionSchema.optional(),
    /** Conditional required: the question must be answered when this holds (it is required anyway when `required` is true). */
    requiredWhen: conditionSchema.optional(),
    source: sourceMeta.optional(),
  })
  .superRefine((f, ctx) => {
    if (CHOICE_TYPES.includes(f.type) && (f.options === undefined || f.options.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `A ${f.type} field needs at least one option.` });
    }
    if (f.type === 'grid' && (f.rows === undefined || f.rows.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'A grid field needs at least one row.' });
    }
    if (f.type === 'statement' && f.label.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['label'], message: 'A statement needs its text in label.' });
    }
    if (f.type !== 'statement' && f.type !== 'hidden' && f.label.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['label'], message: 'A question needs a label.' });
    }
    if (f.scale && f.scale.min >= f.scale.max) {
      ctx.addIssue({ code: 'custom', path: ['scale', 'max'], message: 'scale.max must be greater than scale.min.' });
    }
    const v = f.validation;
    if (v?.minWords !== undefined && v.maxWords !== undefined && v.minWords > v.maxWords) {
      ctx.addIssue({ code: 'custom', path: ['validation', 'maxWords'], message: 'maxWords must be at least minWords.' });
    }
    if (v?.minDateOffset !== undefined && v.maxDateOffset !== undefined && v.minDateOffset > v.maxDateOffset) {
      ctx.addIssue({ code: 'custom', path: ['validation', 'maxDateOffset'], message: 'maxDateOffset must be at least minDateOffset.' });
    }
    if (f.validation?.pattern !== undefined) {
      try {
        new RegExp(f.validation.pattern, 'u');
      } catch {
        ctx.addIssue({ code: 'custom', path: ['validation', 'pattern'], message: 'Not a valid regular expression.' });
      }
    }
    const ids = new Set<string>();
    f.options?.forEach((o, i) => {
      if (ids.has(o.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `Duplicate option id '${o.id}'.` });
      ids.add(o.id);
    });
  });

/** One field of a form (input type: what a YAML file may omit; see {@link fieldSchema}). */
export type FormField = z.infer<typeof fieldSchema>;
