/**
 * Settings of the HubSpot CRM sink: where the records go (custom object,
 * association label), fixed properties to stamp on them, and where
 * documents are filed. Templates may use `{reference}` and `{submissionId}`.
 * @module
 */
import { z } from 'zod';

/** Validates the CRM sink settings. */
export const crmSettingsSchema = z.object({
  /** Private app or OAuth token with crm.objects.contacts/custom read+write, crm.schemas.custom.read and files. */
  token: z.string().min(1),
  baseUrl: z.url().default('https://api.hubapi.com'),
  /** The custom object (`2-3508123` or `p<portal>_<name>`); default: the `2-…` objectTypeId of the form's fields. */
  objectType: z.string().min(1).optional(),
  /** Association label between the record and the contact (HubSpot "Associations v4: labels"); default: the unlabeled type. */
  associationLabel: z.string().min(1).optional(),
  /** A searchable record property holding `{referencePrefix}{submissionId}`: lets a retry find a record whose creation answer was lost. */
  referenceProperty: z.string().min(1).optional(),
  referencePrefix: z.string().default(''),
  /** Fixed record properties (e.g. `{ kyc_status: 'submitted' }`). */
  recordProperties: z.record(z.string(), z.string()).default({}),
  /** Fixed contact properties (e.g. `{ lifecyclestage: 'lead' }`). */
  contactProperties: z.record(z.string(), z.string()).default({}),
  /** Contact property that receives the WhatsApp number when the form did not ask for it; also the lookup key when there is no email. */
  phoneProperty: z.string().min(1).default('mobilephone'),
  folderPath: z.string().min(1).default('/flowbridge/{reference}'),
  /** Files API duplicate handling: RETURN_EXISTING makes a re-upload after a lost answer return the first file. */
  duplicateValidationStrategy: z.enum(['NONE', 'REJECT', 'RETURN_EXISTING']).default('RETURN_EXISTING'),
  noteBody: z.string().default('Documents received via WhatsApp Flow (reference {reference}).'),
  timeoutMs: z.number().int().positive().optional(),
});

/** CRM sink settings after defaults. */
export type HubspotCrmSettings = z.infer<typeof crmSettingsSchema>;

/** Fill `{reference}` and `{submissionId}` in a template. */
export function fillTemplate(template: string, vars: { reference: string; submissionId: string }): string {
  return template.replace(/\{reference\}/g, vars.reference).replace(/\{submissionId\}/g, vars.submissionId);
}
