/**
 * Check before writing, for the SurveyMonkey sink: "Create a response" takes
 * no idempotency key, so a retry after an attempt whose answer was lost
 * lists the collector's responses created since that attempt (minus a minute
 * of clock skew; `GET /collectors/{id}/responses/bulk?start_created_at=…`,
 * SurveyMonkey API v3 — not in our spec, unconfirmed) and looks for one with
 * exactly our answers and custom variables.
 * @module
 */
import { classifyStatus } from '../sink-connector.js';
import type { SurveyMonkeyResponseBody } from './encode-survey-response.js';
import { lookupJson, type EarlierWrite } from '../earlier-attempt.js';

/** What the lookup found. */
export type EarlierResponse = EarlierWrite;

/** What the lookup needs. */
export interface FindEarlierResponseInput {
  readonly fetch: typeof fetch;
  readonly baseUrl: string;
  readonly token: string;
  readonly collectorId: string;
  readonly body: SurveyMonkeyResponseBody;
  readonly since: string;
  readonly timeoutMs: number;
}

const SKEW_MS = 60_000;
const MAX_PAGES = 20;

/** question id → sorted answer texts: equal for the same answers whatever the order. */
function fingerprint(pages: unknown, customVariables: unknown): string {
  const out: Record<string, string[]> = {};
  for (const p of Array.isArray(pages) ? (pages as Array<{ questions?: unknown }>) : []) {
    for (const q of Array.isArray(p.questions) ? (p.questions as Array<{ id?: unknown; answers?: unknown }>) : []) {
      const answers = Array.isArray(q.answers) ? (q.answers as Array<Record<string, unknown>>) : [];
      out[String(q.id)] = answers.map((a) => JSON.stringify(Object.keys(a).sort().map((k) => [k, a[k]]))).sort();
    }
  }
  const vars = customVariables !== null && typeof customVariables === 'object' ? Object.entries(customVariables).filter(([, v]) => v !== '').sort() : [];
  return JSON.stringify([Object.entries(out).sort(), vars]);
}

/** Look for a response of ours written by an earlier attempt. */
export async function findEarlierResponse(input: FindEarlierResponseInput): Promise<EarlierResponse> {
  const want = fingerprint(input.body.pages, input.body.custom_variables);
  const start = new Date(Date.parse(input.since) - SKEW_MS).toISOString().slice(0, 19);
  for (let page = 1; page <= MAX_PAGES; page++) {
    const query = new URLSearchParams({ start_created_at: start, per_page: '100', page: String(page) });
    const { response, body } = await lookupJson<{ data?: unknown; links?: { next?: unknown }; error?: { message?: unknown } }>(input.fetch, `${input.baseUrl.replace(/\/+$/, '')}/collectors/${encodeURIComponent(input.collectorId)}/responses/bulk?${query.toString()}`, { authorization: `Bearer ${input.token}` }, input.timeoutMs);
    if (!response.ok) {
      const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
      return { kind: 'failed', outcome: classifyStatus(response.status, `SurveyMonkey could not list responses to check for an earlier write: ${message}`, response.headers.get('retry-after')) };
    }
    const data = Array.isArray(body.data) ? (body.data as Array<{ id?: unknown; pages?: unknown; custom_variables?: unknown }>) : [];
    const hit = data.find((r) => typeof r.id === 'string' && fingerprint(r.pages, r.custom_variables) === want);
    if (hit && typeof hit.id === 'string') return { kind: 'found', id: hit.id };
    if (typeof body.links?.next !== 'string' || data.length === 0) break;
  }
  return { kind: 'none' };
}
