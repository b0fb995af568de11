/**
 * Which answers go to the contact and which to the custom-object record:
 * a HubSpot form says it per field (`objectTypeId`: `0-1` contact, `2-…`
 * custom object); fields of other forms go to the record. Values use the
 * same encoding as form submissions (CRM "Properties": strings, `;`-joined
 * multi-checkbox, `YYYY-MM-DD` dates, `"true"`/`"false"`).
 * @module
 */
import type { FormField, FormModel } from '../../core/form/index.js';
import { formFields, hubspotValue } from '../hubspot-forms/encode-hubspot-submission.js';
import type { Submission } from '../sink-connector.js';

const CONTACT = '0-1';

const objectTypeOf = (f: FormField): string | undefined => (typeof f.source?.objectTypeId === 'string' ? f.source.objectTypeId : undefined);

/** The custom object the form's fields point at (`2-…`), if any. */
export function formObjectType(form: FormModel): string | undefined {
  return formFields(form).map(objectTypeOf).find((t) => t !== undefined && t.startsWith('2-'));
}

/** Properties split by destination; file fields listed apart (their values are file ids, known after upload). */
export interface SplitProperties {
  readonly contact: Record<string, string>;
  readonly record: Record<string, string>;
  /** Field keys of the record's file properties. */
  readonly recordFileFields: readonly string[];
}

/** Split the answers of a submission. Fields of other objects (company…) are left out. */
export function splitProperties(submission: Submission, objectType: string): SplitProperties {
  const contact: Record<string, string> = {};
  const record: Record<string, string> = {};
  const recordFileFields: string[] = [];
  for (const f of formFields(submission.form)) {
    if (f.type === 'statement' || f.key.startsWith('legalConsentOptions.')) continue;
    const target = objectTypeOf(f);
    const toContact = target === CONTACT;
    const toRecord = target === undefined || target === objectType;
    if (!toContact && !toRecord) continue;
    if (f.type === 'file') {
      if (toRecord) recordFileFields.push(f.key);
      continue;
    }
    const v = submission.answers[f.key];
    if (v === undefined) continue;
    (toContact ? contact : record)[f.key] = hubspotValue(f.type, v);
  }
  return { contact, record, recordFileFields };
}
