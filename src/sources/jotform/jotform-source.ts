/**
 * Jotform as a form source: `APIKEY` header auth, `GET /user/forms` with
 * offset paging, and a definition made of two responses — the questions
 * (`GET /form/{id}/questions`) and the properties holding the conditions
 * (`GET /form/{id}/properties`), per Jotform's "API Documentation".
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary } from '../source-connector.js';
import { mapJotformDefinition, type JotformDefinition } from './map-jotform-definition.js';

/** Jotform's answers are wrapped in `{ responseCode, message, content, resultSet? }`. */
interface Envelope<T> {
  readonly content: T;
  readonly resultSet?: { offset?: number; limit?: number; count?: number };
}

const PAGE = 1000;

/** Jotform (US by default; EU accounts use `https://eu-api.jotform.com`, HIPAA `https://hipaa-api.jotform.com`). */
export const jotformSource = defineSource({
  id: 'jotform',
  displayName: 'Jotform',
  defaultBaseUrl: 'https://api.jotform.com',
  credentialsSchema: z.object({ apiKey: z.string().min(1, 'A Jotform API key is required.') }),
  authHeaders: (c) => ({ APIKEY: c.apiKey }),
  async listForms({ http }) {
    const out: FormSummary[] = [];
    for (let offset = 0; ; ) {
      const res = await http.get<Envelope<Record<string, unknown>[]>>('/user/forms', { offset, limit: PAGE, orderby: 'created_at' });
      const items = Array.isArray(res.body.content) ? res.body.content : [];
      for (const f of items) {
        out.push({ id: String(f.id), title: typeof f.title === 'string' ? f.title : String(f.id), ...(typeof f.updated_at === 'string' ? { updatedAt: f.updated_at } : {}) });
      }
      const limit = res.body.resultSet?.limit ?? PAGE;
      if (items.length === 0 || items.length < limit) return out;
      offset += items.length;
    }
  },
  async fetchDefinition({ http }, formId): Promise<JotformDefinition> {
    const id = encodeURIComponent(formId);
    const questions = await http.get(`/form/${id}/questions`);
    const properties = await http.get(`/form/${id}/properties`);
    return { questions: questions.body, properties: properties.body };
  },
  mapDefinition: mapJotformDefinition,
  errorMessage(status, body) {
    if (body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message.trim();
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
