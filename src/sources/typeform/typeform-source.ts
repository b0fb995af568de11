/**
 * Typeform as a form source: Create API `GET /forms` (`page`, `page_size`
 * → `{total_items, page_count, items}`) and `GET /forms/{form_id}`, personal
 * access token or OAuth token as `Authorization: Bearer`, errors as
 * `{code, description}` (Typeform docs "Create API", "Retrieve form").
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary } from '../source-connector.js';
import { mapTypeformForm } from './map-typeform-form.js';

const credentials = z.object({
  /** Personal access token or OAuth token with `forms:read`. */
  token: z.string().min(1),
});

/** Typeform credentials: one token. */
export type TypeformCredentials = z.infer<typeof credentials>;

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Largest page Typeform serves (`page_size` ≤ 200). */
const PAGE_SIZE = 200;

/** The Typeform connector. */
export const typeformSource = defineSource<TypeformCredentials>({
  id: 'typeform',
  displayName: 'Typeform',
  defaultBaseUrl: 'https://api.typeform.com',
  credentialsSchema: credentials,
  authHeaders: (c) => ({ authorization: `Bearer ${c.token}` }),

  async listForms(ctx) {
    const out: FormSummary[] = [];
    for (let page = 1; ; page++) {
      const { body } = await ctx.http.get('/forms', { page, page_size: PAGE_SIZE });
      const b = rec(body);
      const items = Array.isArray(b.items) ? b.items : [];
      for (const item of items) {
        const f = rec(item);
        if (typeof f.id !== 'string') continue;
        out.push({ id: f.id, title: typeof f.title === 'string' ? f.title : f.id, ...(typeof f.last_updated_at === 'string' ? { updatedAt: f.last_updated_at } : {}) });
      }
      const pageCount = typeof b.page_count === 'number' ? b.page_count : 1;
      if (page >= pageCount || items.length === 0) return out;
    }
  },

  async fetchDefinition(ctx, formId) {
    const { body } = await ctx.http.get(`/forms/${encodeURIComponent(formId)}`);
    return body;
  },

  mapDefinition: mapTypeformForm,

  errorMessage(status, body) {
    const b = rec(body);
    if (typeof b.description === 'string') return typeof b.code === 'string' ? `${b.description} (${b.code})` : b.description;
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
