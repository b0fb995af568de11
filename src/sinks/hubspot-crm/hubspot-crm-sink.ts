/**
 * HubSpot CRM records for the KYC case: upsert the contact (by email, else
 * by phone), upload each document to the Files API as PRIVATE, create a
 * custom-object record (e.g. a KYC application) associated with the contact
 * through a looked-up association type, and attach the documents with a
 * note. Every step's result is saved in the progress store as soon as
 * HubSpot returns it, so a retry resumes where the last attempt stopped and
 * never creates a second record or file; the steps that could lose an
 * answer check before writing (reference search, note lookup, file
 * duplicate strategy).
 * @module
 */
import { defineSink, type DeliveryOutcome } from '../sink-connector.js';
import { attachStep } from './attach-note.js';
import { associationType } from './crm-request.js';
import { formObjectType, splitProperties } from './crm-properties.js';
import { crmSettingsSchema, fillTemplate, type HubspotCrmSettings } from './crm-settings.js';
import { createRecord, findRecord } from './create-record.js';
import { uploadDocuments } from './upload-documents.js';
import { upsertContact } from './upsert-contact.js';

/** The HubSpot CRM (records and documents) sink. */
export const hubspotCrmSink = defineSink<HubspotCrmSettings>({
  id: 'hubspot-crm',
  displayName: 'HubSpot CRM records (contact, custom object, documents)',
  settingsSchema: crmSettingsSchema,
  checkForm(form, settings) {
    const objectType = settings.objectType ?? formObjectType(form);
    return objectType === undefined ? ['No custom object to write to: set objectType (e.g. 2-3508123) or import the form from HubSpot with fields on a custom object.'] : [];
  },
  async deliver(ctx, submission): Promise<DeliveryOutcome> {
    const s = ctx.settings;
    const objectType = s.objectType ?? formObjectType(submission.form);
    if (objectType === undefined) return { kind: 'permanent', reason: 'No custom object to write to (objectType).' };
    const vars = { reference: `${s.referencePrefix}${submission.id}`, submissionId: submission.id };
    const split = splitProperties(submission, objectType);

    let contactId = await ctx.progress.get('contact');
    if (contactId === undefined) {
      const props = { ...s.contactProperties, ...split.contact };
      if (props[s.phoneProperty] === undefined && props.phone === undefined) props[s.phoneProperty] = submission.contact.phone;
      const contact = await upsertContact(ctx, props, submission.contact.phone);
      if (!contact.ok) return contact.outcome;
      contactId = contact.id;
      await ctx.progress.set('contact', contactId);
    }

    const uploaded = await uploadDocuments(ctx, submission.files, fillTemplate(s.folderPath, vars));
    if (!uploaded.ok) return uploaded.outcome;

    let recordId = await ctx.progress.get('record');
    if (recordId === undefined && s.referenceProperty !== undefined) {
      const found = await findRecord(ctx, objectType, s.referenceProperty, vars.reference);
      if (!found.ok) return found.outcome;
      recordId = found.id;
    }
    if (recordId === undefined) {
      const type = await associationType(ctx, objectType, 'contacts', s.associationLabel ?? null);
      if (!type.ok) return type.outcome;
      const properties: Record<string, string> = { ...(s.referenceProperty === undefined ? {} : { [s.referenceProperty]: vars.reference }), ...split.record, ...s.recordProperties };
      for (const key of split.recordFileFields) {
        const ids = uploaded.files.filter((f) => f.fieldKey === key).map((f) => f.id);
        if (ids.length > 0) properties[key] = ids.join(';');
      }
      const record = await createRecord(ctx, objectType, properties, contactId, type.type);
      if (!record.ok) return record.outcome;
      recordId = record.id;
    }
    await ctx.progress.set('record', recordId);

    const note = await attachStep(ctx, { objectType, recordId, contactId, fileIds: uploaded.files.map((f) => f.id), body: fillTemplate(s.noteBody, vars), timestamp: submission.submittedAt });
    if (!note.ok) return note.outcome;
    return { kind: 'delivered', externalId: recordId, note: `contact ${contactId}, record ${recordId}, ${uploaded.files.length} document(s)${note.id === undefined ? '' : `, note ${note.id}`}` };
  },
});
