/**
 * Tally as a form source: `Authorization: Bearer tly-…`, `GET /forms` paged
 * with `page`/`limit` until `hasMore` is false, and `GET /forms/{formId}`
 * for the blocks (Tally "API reference": forms list and get).
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary } from '../source-connector.js';
import { mapTallyDefinition } from './map-tally-definition.js';

interface FormList {
  readonly items?: { id: string; name?: string; updatedAt?: string }[];
  readonly hasMore?: boolean;
}

const LIMIT = 500;

/** Tally (cloud only). */
export const tallySource = defineSource({
  id: 'tally',
  displayName: 'Tally',
  defaultBaseUrl: 'https://api.tally.so',
  credentialsSchema: z.object({ apiKey: z.string().min(1, 'A Tally API key (tly-…) is required.') }),
  authHeaders: (c) => ({ authorization: `Bearer ${c.apiKey}` }),
  async listForms({ http }) {
    const out: FormSummary[] = [];
    for (let page = 1; ; page++) {
      const { body } = await http.get<FormList>('/forms', { page, limit: LIMIT });
      const items = Array.isArray(body.items) ? body.items : [];
      for (const f of items) out.push({ id: String(f.id), title: f.name ?? String(f.id), ...(f.updatedAt ? { updatedAt: f.updatedAt } : {}) });
      if (body.hasMore !== true || items.length === 0) return out;
    }
  },
  async fetchDefinition({ http }, formId) {
    return (await http.get(`/forms/${encodeURIComponent(formId)}`)).body;
  },
  mapDefinition: mapTallyDefinition,
  errorMessage(status, body) {
    if (body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
