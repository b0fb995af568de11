/**
 * Create the custom-object record associated with the contact (CRM
 * "Objects: create" with inline `associations`). Before creating, a record
 * carrying this submission's reference is searched for (CRM search on the
 * reference property), so a retry after a lost answer adopts it instead of
 * creating a second one.
 * @module
 */
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';
import { crmRequest, field, idOf, type AssociationType } from './crm-request.js';
import type { HubspotCrmSettings } from './crm-settings.js';

/** The record id, or the outcome to stop with. */
export type RecordResult = { ok: true; id: string } | { ok: false; outcome: DeliveryOutcome };

/** A record whose reference property holds `reference`, if one exists. */
export async function findRecord(ctx: DeliveryContext<HubspotCrmSettings>, objectType: string, property: string, reference: string): Promise<{ ok: true; id?: string } | { ok: false; outcome: DeliveryOutcome }> {
  const res = await crmRequest(ctx, 'POST', `/crm/v3/objects/${encodeURIComponent(objectType)}/search`, {
    filterGroups: [{ filters: [{ propertyName: property, operator: 'EQ', value: reference }] }],
    properties: [property],
    limit: 1,
  });
  if (!res.ok) return res;
  const results = field(res.body, 'results');
  const id = Array.isArray(results) ? idOf(field(results[0], 'id')) : undefined;
  return id === undefined ? { ok: true } : { ok: true, id };
}

/** Create the record, associated with the contact through `type`. */
export async function createRecord(ctx: DeliveryContext<HubspotCrmSettings>, objectType: string, properties: Record<string, string>, contactId: string, type: AssociationType): Promise<RecordResult> {
  const res = await crmRequest(ctx, 'POST', `/crm/v3/objects/${encodeURIComponent(objectType)}`, {
    properties,
    associations: [{ to: { id: contactId }, types: [{ associationCategory: type.associationCategory, associationTypeId: type.associationTypeId }] }],
  });
  if (!res.ok) return res;
  const id = idOf(field(res.body, 'id'));
  return id === undefined ? { ok: false, outcome: { kind: 'retry', reason: 'HubSpot answered without a record id.' } } : { ok: true, id };
}
