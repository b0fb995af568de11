/**
 * Check before writing, for the Formbricks management API: list the
 * survey's responses (`GET /api/v1/management/responses?surveyId=…`, newest
 * first) and find one with exactly our data created since our first attempt
 * (minus a minute of clock skew). Formbricks takes no idempotency key, and a
 * response carries no field of ours, so equal data in that window is the
 * best evidence an earlier attempt landed.
 * @module
 */
import { classifyStatus } from '../sink-connector.js';
import { lookupFetch, type EarlierWrite } from '../earlier-attempt.js';

/** What the lookup found. */
export type EarlierResponse = EarlierWrite;

/** What the lookup needs. */
export interface FindEarlierResponseInput {
  readonly fetch: typeof fetch;
  readonly base: string;
  readonly apiKey: string;
  readonly surveyId: string;
  readonly data: Record<string, unknown>;
  /** ISO time of the first attempt. */
  readonly since: string;
  readonly timeoutMs: number;
}

const SKEW_MS = 60_000;
const PAGE = 100;

/** Deep equality of JSON values (key order ignored). */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Look for a response of ours written by an earlier attempt. */
export async function findEarlierResponse(input: FindEarlierResponseInput): Promise<EarlierResponse> {
  const after = Date.parse(input.since) - SKEW_MS;
  const url = `${input.base}/api/v1/management/responses?surveyId=${encodeURIComponent(input.surveyId)}&limit=${PAGE}`;
  const response = await lookupFetch(input.fetch, url, { 'x-api-key': input.apiKey, accept: 'application/json' }, input.timeoutMs);
  const text = await response.text();
  if (!response.ok) {
    const out = classifyStatus(response.status, `Formbricks could not list responses to check for an earlier write (HTTP ${response.status}).`, response.headers.get('retry-after'));
    return { kind: 'failed', outcome: out };
  }
  let list: unknown;
  try {
    list = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    list = undefined;
  }
  for (const item of Array.isArray(list) ? list : []) {
    const r = item as { id?: unknown; createdAt?: unknown; data?: unknown };
    if (typeof r.id !== 'string' || typeof r.createdAt !== 'string' || Date.parse(r.createdAt) < after) continue;
    if (same(r.data, input.data)) return { kind: 'found', id: r.id };
  }
  return { kind: 'none' };
}
