/**
 * Find or create the contact: by email with the batch upsert (CRM
 * "Contacts: batch upsert", `idProperty: email`, idempotent by nature), or
 * without an email by the phone property (CRM search, then create; a 409
 * "Contact already exists. Existing ID: <id>" is adopted as the answer).
 * @module
 */
import type { DeliveryContext, DeliveryOutcome } from '../sink-connector.js';
import { crmRequest, field, idOf } from './crm-request.js';
import type { HubspotCrmSettings } from './crm-settings.js';

/** The contact id, or the outcome to stop with. */
export type ContactResult = { ok: true; id: string } | { ok: false; outcome: DeliveryOutcome };

const noId: ContactResult = { ok: false, outcome: { kind: 'retry', reason: 'HubSpot answered without a contact id.' } };

/** Upsert the contact with these properties (email among them or not). */
export async function upsertContact(ctx: DeliveryContext<HubspotCrmSettings>, properties: Record<string, string>, phone: string): Promise<ContactResult> {
  const { email, ...rest } = properties;
  if (email !== undefined && email !== '') {
    const res = await crmRequest(ctx, 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: [{ idProperty: 'email', id: email, properties: rest }] });
    if (!res.ok) return res;
    const results = field(res.body, 'results');
    const id = Array.isArray(results) ? idOf(field(results[0], 'id')) : undefined;
    return id === undefined ? noId : { ok: true, id };
  }
  const phoneProperty = ctx.settings.phoneProperty;
  const lookup = properties[phoneProperty] ?? phone;
  const search = await crmRequest(ctx, 'POST', '/crm/v3/objects/contacts/search', {
    filterGroups: [{ filters: [{ propertyName: phoneProperty, operator: 'EQ', value: lookup }] }],
    properties: [phoneProperty],
    limit: 1,
  });
  if (!search.ok) return search;
  const found = field(search.body, 'results');
  const existing = Array.isArray(found) ? idOf(field(found[0], 'id')) : undefined;
  if (existing !== undefined) {
    const patch = await crmRequest(ctx, 'PATCH', `/crm/v3/objects/contacts/${encodeURIComponent(existing)}`, { properties });
    return patch.ok ? { ok: true, id: existing } : patch;
  }
  const created = await crmRequest(ctx, 'POST', '/crm/v3/objects/contacts', { properties, associations: [] });
  if (!created.ok) {
    const adopted = created.status === 409 ? /Existing ID: (\d+)/.exec(created.text ?? '')?.[1] : undefined;
    return adopted === undefined ? created : { ok: true, id: adopted };
  }
  const id = idOf(field(created.body, 'id'));
  return id === undefined ? noId : { ok: true, id };
}
