/**
 * SurveyMonkey as a form source: OAuth bearer token, `GET /surveys` paged
 * with `page`/`per_page` while `links.next` is present, and
 * `GET /surveys/{id}/details` for pages and questions (SurveyMonkey API v3,
 * "Surveys and survey details"). `listCollectors` gives the collector a sink
 * writes responses to.
 * @module
 */
import { z } from 'zod';
import { defineSource, type FormSummary, type SourceContext } from '../source-connector.js';
import { mapSurveyMonkeyDefinition } from './map-surveymonkey-definition.js';

interface Page<T> {
  readonly data?: T[];
  readonly links?: { next?: string };
}

const PER_PAGE = 1000;

async function allPages<T>(ctx: SourceContext, path: string): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { body } = await ctx.http.get<Page<T>>(path, { page, per_page: PER_PAGE });
    const data = Array.isArray(body.data) ? body.data : [];
    out.push(...data);
    if (!body.links?.next || data.length === 0) return out;
  }
}

/** Every collector of a survey (`GET /surveys/{id}/collectors`), all pages. */
export function listSurveyMonkeyCollectors(ctx: SourceContext, surveyId: string): Promise<{ id: string; name?: string; type?: string }[]> {
  return allPages(ctx, `/surveys/${encodeURIComponent(surveyId)}/collectors`);
}

/** SurveyMonkey (US by default; EU accounts use `https://api.eu.surveymonkey.com/v3`, Canada `https://api.surveymonkey.ca/v3`). */
export const surveyMonkeySource = defineSource({
  id: 'surveymonkey',
  displayName: 'SurveyMonkey',
  defaultBaseUrl: 'https://api.surveymonkey.com/v3',
  credentialsSchema: z.object({ accessToken: z.string().min(1, 'A SurveyMonkey access token is required.') }),
  authHeaders: (c) => ({ authorization: `Bearer ${c.accessToken}` }),
  async listForms(ctx) {
    const items = await allPages<{ id: string; title?: string; nickname?: string; date_modified?: string }>(ctx, '/surveys');
    return items.map((s): FormSummary => ({ id: String(s.id), title: s.title || s.nickname || String(s.id), ...(s.date_modified ? { updatedAt: s.date_modified } : {}) }));
  },
  async fetchDefinition({ http }, surveyId) {
    return (await http.get(`/surveys/${encodeURIComponent(surveyId)}/details`)).body;
  },
  mapDefinition: mapSurveyMonkeyDefinition,
  errorMessage(status, body) {
    const e = body !== null && typeof body === 'object' ? (body as { error?: { message?: unknown; id?: unknown } }).error : undefined;
    if (e && typeof e.message === 'string') return typeof e.id === 'string' ? `${e.message} (error ${e.id})` : e.message;
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
