/**
 * The FormModel: one neutral description of a form, whatever tool it came
 * from. Source connectors produce it, a hand-written YAML/JSON file may be
 * one, and the compiler turns it into Flow JSON. `formModelSchema` validates
 * it with path-based errors.
 * @module
 */
import { z } from 'zod';
import { conditionFields, conditionSchema } from './condition.js';
import { fieldSchema } from './field.js';

/** Systems a form can come from (`file` = a hand-written FormModel). */
export const SOURCE_SYSTEMS = ['hubspot', 'google-forms', 'typeform', 'surveymonkey', 'jotform', 'tally', 'formbricks', 'file'] as const;

const metaValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/**
 * What a sink needs to write answers back: the system, its form id, and
 * system-specific ids (HubSpot portal id, SurveyMonkey collector id, Google
 * published id, Formbricks environment id…) kept opaque in `meta`.
 */
export const sourceSchema = z.strictObject({
  system: z.enum(SOURCE_SYSTEMS),
  formId: z.string().optional(),
  meta: z.record(z.string(), metaValue).optional(),
});

/** A jump after a section: the first rule whose `when` holds (or has no `when`) wins; `end` finishes the form. */
export const jumpSchema = z.strictObject({ when: conditionSchema.optional(), to: z.string().min(1) });
/** One jump rule of a section. */
export type Jump = z.infer<typeof jumpSchema>;

/** A page/section: fields in display order and the jumps taken when leaving it. */
export const pageSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().optional(),
  description: z.string().optional(),
  fields: z.array(fieldSchema),
  jumps: z.array(jumpSchema).optional(),
  source: z.record(z.string(), metaValue).optional(),
});
/** One page of a form. */
export type FormPage = z.infer<typeof pageSchema>;

/** Validates a whole {@link FormModel}, including cross references (field ids, jump targets). */
export const formModelSchema = z
  .strictObject({
    id: z.string().min(1),
    title: z.string().min(1),
    description: z.string().optional(),
    source: sourceSchema.default({ system: 'file' }),
    pages: z.array(pageSchema).min(1),
    /** Texts shown when the form is finished. */
    endMessage: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    const fieldIds = new Map<string, number>();
    const pageIds = new Set<string>();
    m.pages.forEach((p, pi) => {
      if (pageIds.has(p.id)) ctx.addIssue({ code: 'custom', path: ['pages', pi, 'id'], message: `Duplicate page id '${p.id}'.` });
      pageIds.add(p.id);
      p.fields.forEach((f, fi) => {
        if (fieldIds.has(f.id)) ctx.addIssue({ code: 'custom', path: ['pages', pi, 'fields', fi, 'id'], message: `Duplicate field id '${f.id}'.` });
        fieldIds.set(f.id, pi);
      });
    });
    m.pages.forEach((p, pi) => {
      p.fields.forEach((f, fi) => {
        for (const key of ['visibleWhen', 'requiredWhen'] as const) {
          const when = f[key];
          for (const id of when ? conditionFields(when) : []) {
            if (!fieldIds.has(id)) ctx.addIssue({ code: 'custom', path: ['pages', pi, 'fields', fi, key], message: `Unknown field '${id}' in condition.` });
          }
        }
      });
      p.jumps?.forEach((j, ji) => {
        if (j.to !== 'end' && !pageIds.has(j.to)) ctx.addIssue({ code: 'custom', path: ['pages', pi, 'jumps', ji, 'to'], message: `Unknown page '${j.to}' (use a page id or 'end').` });
        for (const id of j.when ? conditionFields(j.when) : []) {
          if (!fieldIds.has(id)) ctx.addIssue({ code: 'custom', path: ['pages', pi, 'jumps', ji, 'when'], message: `Unknown field '${id}' in condition.` });
        }
      });
    });
  });

/** A validated form, with defaults filled in. */
export type FormModel = z.infer<typeof formModelSchema>;
/** A form as written by hand or produced by a connector, before defaults are applied. */
export type FormModelInput = z.input<typeof formModelSchema>;
