/**
 * Attach the uploaded documents through a note associated with the contact
 * and the record (CRM "Notes": `hs_attachment_ids` `;`-joined, `hs_timestamp`
 * required). The record is this submission's own, so any note already
 * associated with it (Associations v4 list) is the one a lost answer
 * created: it is adopted instead of writing a second note. The step is
 * skipped without documents or when a previous attempt saved the note's id.
 * @module
 */
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';
import { associationType, crmRequest, field, idOf, type AssociationType } from './crm-request.js';
import type { HubspotCrmSettings } from './crm-settings.js';

/** What the note says and where it goes. */
export interface NoteInput {
  readonly objectType: string;
  readonly recordId: string;
  readonly contactId: string;
  readonly fileIds: readonly string[];
  readonly body: string;
  readonly timestamp: string;
  readonly toContact: AssociationType;
  readonly toRecord: AssociationType;
}

/** The id of a note already associated with the record, if any. */
export async function existingNote(ctx: DeliveryContext<HubspotCrmSettings>, objectType: string, recordId: string): Promise<{ ok: true; id?: string } | { ok: false; outcome: DeliveryOutcome }> {
  const res = await crmRequest(ctx, 'GET', `/crm/v4/objects/${encodeURIComponent(objectType)}/${encodeURIComponent(recordId)}/associations/notes`);
  if (!res.ok) return res;
  const results = field(res.body, 'results');
  const id = Array.isArray(results) ? idOf(field(results[0], 'toObjectId')) : undefined;
  return id === undefined ? { ok: true } : { ok: true, id };
}

/** Create the note. */
export async function createNote(ctx: DeliveryContext<HubspotCrmSettings>, n: NoteInput): Promise<{ ok: true; id: string } | { ok: false; outcome: DeliveryOutcome }> {
  const res = await crmRequest(ctx, 'POST', '/crm/v3/objects/notes', {
    properties: { hs_timestamp: n.timestamp, hs_note_body: n.body, hs_attachment_ids: n.fileIds.join(';') },
    associations: [
      { to: { id: n.contactId }, types: [n.toContact] },
      { to: { id: n.recordId }, types: [n.toRecord] },
    ],
  });
  if (!res.ok) return res;
  const id = idOf(field(res.body, 'id'));
  return id === undefined ? { ok: false, outcome: { kind: 'retry', reason: 'HubSpot answered without a note id.' } } : { ok: true, id };
}

/** What the note step needs. */
export interface AttachInput {
  readonly objectType: string;
  readonly recordId: string;
  readonly contactId: string;
  readonly fileIds: readonly string[];
  readonly body: string;
  readonly timestamp: string;
}

/** Run the note step; `id` is the note's (undefined when there were no documents). */
export async function attachStep(ctx: DeliveryContext<HubspotCrmSettings>, input: AttachInput): Promise<{ ok: true; id?: string } | { ok: false; outcome: DeliveryOutcome }> {
  if (input.fileIds.length === 0) return { ok: true };
  const saved = await ctx.progress.get('note');
  if (saved !== undefined) return { ok: true, id: saved };
  const existing = await existingNote(ctx, input.objectType, input.recordId);
  if (!existing.ok) return existing;
  let id = existing.id;
  if (id === undefined) {
    const toContact = await associationType(ctx, 'notes', 'contacts', null);
    if (!toContact.ok) return toContact;
    const toRecord = await associationType(ctx, 'notes', input.objectType, null);
    if (!toRecord.ok) return toRecord;
    const created = await createNote(ctx, { ...input, toContact: toContact.type, toRecord: toRecord.type });
    if (!created.ok) return created;
    id = created.id;
  }
  await ctx.progress.set('note', id);
  return { ok: true, id };
}
