/**
 * Formbricks as a form source: management API with the `x-api-key` header
 * (`GET /api/v1/management/surveys`, `GET /api/v1/management/surveys/{id}`,
 * Formbricks "Management API"). Cloud by default; self-hosted instances set
 * their own base URL. The list is read with `limit`/`offset` (paging is
 * unconfirmed for v1) until a page brings no new survey, so a server that
 * ignores paging and returns everything costs one extra call, not a loop.
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary } from '../source-connector.js';
import { mapFormbricksDefinition } from './map-formbricks-definition.js';

const LIMIT = 100;

/** Formbricks (cloud `https://app.formbricks.com`, or a self-hosted host). */
export const formbricksSource = defineSource({
  id: 'formbricks',
  displayName: 'Formbricks',
  defaultBaseUrl: 'https://app.formbricks.com',
  credentialsSchema: z.object({ apiKey: z.string().min(1, 'A Formbricks management API key is required.') }),
  authHeaders: (c) => ({ 'x-api-key': c.apiKey }),
  async listForms({ http }) {
    const out = new Map<string, FormSummary>();
    for (let offset = 0; ; ) {
      const { body } = await http.get<{ data?: { id: string; name?: string; updatedAt?: string }[] }>('/api/v1/management/surveys', { limit: LIMIT, offset });
      const items = Array.isArray(body.data) ? body.data : [];
      const before = out.size;
      for (const s of items) out.set(String(s.id), { id: String(s.id), title: s.name ?? String(s.id), ...(s.updatedAt ? { updatedAt: s.updatedAt } : {}) });
      if (items.length === 0 || out.size === before) return [...out.values()];
      offset += items.length;
    }
  },
  async fetchDefinition({ http }, surveyId) {
    return (await http.get(`/api/v1/management/surveys/${encodeURIComponent(surveyId)}`)).body;
  },
  mapDefinition: mapFormbricksDefinition,
  errorMessage(status, body) {
    if (body !== null && typeof body === 'object') {
      const { message, details } = body as { message?: unknown; details?: unknown };
      if (typeof message === 'string') {
        const extra = details !== null && typeof details === 'object' ? Object.entries(details).map(([k, v]) => `${k}: ${String(v)}`).join('; ') : '';
        return extra ? `${message} (${extra})` : message;
      }
    }
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
