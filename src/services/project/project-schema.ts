/**
 * The project file (`flowbridge.yaml`): which flows this server serves and
 * where each flow's answers go. Paths are relative to the file; `${VAR}` in
 * any string is read from the environment when loading (secrets stay out of
 * the file). One zod schema gives the loader its error messages.
 * @example
 * flows:
 *   - id: newsletter
 *     form: ./forms/newsletter.yaml        # or import: { system: hubspot, file: ./form.json } or flow: ./flow.json
 *     categories: [LEAD_GENERATION]
 *     keyword: NEWS
 *     message: { body: "Join our newsletter", cta: "Sign up", template: newsletter_invite, templateLanguage: en }
 *     sinks:
 *       - name: hubspot
 *         type: hubspot-forms
 *         settings: { portalId: "123", formGuid: "abc", accessToken: "${HUBSPOT_TOKEN}" }
 * @module
 */
import { z } from 'zod';
import { FLOW_CATEGORIES } from '../../whatsapp/graph/flows-api.js';


const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1–64 lower-case letters, digits, - or _, starting with a letter or digit');

const sinkEntry = z.strictObject({
  name: id,
  type: z.string().min(1, 'must name a sink type (e.g. hubspot-forms, webhook, sql)'),
  settings: z.record(z.string(), z.unknown()).default({}),
});

const importEntry = z.strictObject({
  system: z.string().min(1),
  /** Saved read-API response(s); Jotform takes two (questions, properties). */
  file: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2)]),
});

const messageEntry = z.strictObject({
  body: z.string().min(1).max(1024, 'must be at most 1024 characters (interactive message body)'),
  cta: z.string().min(1).max(30, 'must be at most 30 characters (Meta limit of the flow button)'),
  header: z.string().min(1).max(60, 'must be at most 60 characters').optional(),
  footer: z.string().min(1).max(60, 'must be at most 60 characters').optional(),
  template: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a template name (lower-case letters, digits, _)').optional(),
  templateLanguage: z.string().regex(/^[a-z]{2,3}(?:_[A-Z]{2})?$/, 'must be a language code such as en or en_US').optional(),
});

const flowEntry = z
  .strictObject({
    id,
    name: z.string().min(1).max(200).optional(),
    categories: z.array(z.enum(FLOW_CATEGORIES)).min(1).optional(),
    form: z.string().min(1).optional(),
    import: importEntry.optional(),
    flow: z.string().min(1).optional(),
    overrides: z.string().min(1).optional(),
    targetVersion: z.string().regex(/^\d+\.\d+$/, 'must look like 7.3').optional(),
    metaFlowId: z.string().regex(/^\d+$/, 'must be the numeric Meta flow id').optional(),
    keyword: z.string().trim().min(1).max(64).optional(),
    ads: z.array(z.string().regex(/^\d+$/, 'must be a numeric ad id')).default([]),
    message: messageEntry.optional(),
    sinks: z.array(sinkEntry).default([]),
  })
  .refine((f) => [f.form, f.import, f.flow].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of form (a FormModel file), import (a saved form definition) or flow (a Flow JSON file)',
  })
  .refine((f) => f.overrides === undefined || f.flow === undefined, { message: 'overrides apply to compiled forms, not to a hand-written flow', path: ['overrides'] })
  .refine((f) => new Set(f.sinks.map((s) => s.name)).size === f.sinks.length, { message: 'sink names must be unique within a flow', path: ['sinks'] });

/** The whole file. */
export const projectSchema = z.strictObject({
  flows: z.array(flowEntry).default([]),
});

export type ProjectFile = z.output<typeof projectSchema>;
export type ProjectFlowEntry = ProjectFile['flows'][number];
