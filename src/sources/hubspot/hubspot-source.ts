/**
 * HubSpot as a form source: Forms API v3 (`/marketing/v3/forms`), private
 * app or OAuth token as `Authorization: Bearer`, cursor pagination
 * (`paging.next.after`), error envelope `{status, message, category,
 * correlationId}` (HubSpot docs "Forms API v3", "Error handling").
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary } from '../source-connector.js';
import { mapHubspotForm } from './map-hubspot-form.js';

const credentials = z.object({
  /** Private app access token (scope `forms`) or an OAuth access token. */
  token: z.string().min(1),
});

/** HubSpot credentials: one access token. */
export type HubspotCredentials = z.infer<typeof credentials>;

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Page size of form listings (HubSpot allows up to 100 per page). */
const PAGE_SIZE = 100;

/** The HubSpot connector. */
export const hubspotSource = defineSource<HubspotCredentials>({
  id: 'hubspot',
  displayName: 'HubSpot',
  defaultBaseUrl: 'https://api.hubapi.com',
  credentialsSchema: credentials,
  authHeaders: (c) => ({ authorization: `Bearer ${c.token}` }),

  async listForms(ctx) {
    const out: FormSummary[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    do {
      const { body } = await ctx.http.get('/marketing/v3/forms/', { limit: PAGE_SIZE, after, archived: 'false', formTypes: 'hubspot' });
      const page = rec(body);
      for (const item of Array.isArray(page.results) ? page.results : []) {
        const r = rec(item);
        if (typeof r.id !== 'string') continue;
        out.push({ id: r.id, title: typeof r.name === 'string' ? r.name : r.id, ...(typeof r.updatedAt === 'string' ? { updatedAt: r.updatedAt } : {}) });
      }
      const next = rec(rec(page.paging).next).after;
      after = typeof next === 'string' && next !== '' && !seen.has(next) ? next : undefined;
      if (after !== undefined) seen.add(after);
    } while (after !== undefined);
    return out;
  },

  async fetchDefinition(ctx, formId) {
    const { body } = await ctx.http.get(`/marketing/v3/forms/${encodeURIComponent(formId)}`, { archived: 'false' });
    return body;
  },

  mapDefinition: mapHubspotForm,

  errorMessage(status, body) {
    const b = rec(body);
    if (typeof b.message === 'string') return typeof b.category === 'string' ? `${b.message} (${b.category})` : b.message;
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
