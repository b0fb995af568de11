/**
 * Contract fake of the Tally API: `Authorization: Bearer <key>` exactly, GET
 * only, `/forms?page&limit` (limit ≤ 500) → `{items, page, limit, total,
 * hasMore}`, `/forms/{formId}` from the fixtures; errors in Tally's
 * `{message, errorType}` shape (wording unconfirmed, from the sink fixtures).
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture, startLoopbackFake, type FakeReply, type LoopbackFake } from '../jotform/loopback-fake.js';

const SOURCES = '/work/shared/fixtures/sources/tally';
const SINKS = '/work/shared/fixtures/sinks/tally';

/** Options: the accepted key and the largest page the fake serves. */
export interface FakeTallyOptions {
  readonly apiKey?: string;
  readonly maxPageSize?: number;
}

/** Start the fake. */
export async function startFakeTally(options: FakeTallyOptions = {}): Promise<LoopbackFake> {
  const apiKey = options.apiKey ?? 'tly-test';
  const items = (loadFixture(join(SOURCES, 'list-forms.json')) as { items: unknown[] }).items;
  const forms = new Map<string, unknown>();
  for (const f of readdirSync(SOURCES).filter((n) => n.startsWith('form-'))) {
    const def = loadFixture(join(SOURCES, f)) as { id: string };
    forms.set(def.id, def);
  }
  const error = (status: number): unknown =>
    status === 401 ? loadFixture(join(SINKS, 'error-401.json')) : status === 429 ? loadFixture(join(SINKS, 'error-429.json')) : status === 404 ? { message: 'Form not found', errorType: 'NOT_FOUND' } : { message: 'Bad request', errorType: 'VALIDATION' };
  return startLoopbackFake({
    errorBody: error,
    retryAfter: '3',
    handle(req): FakeReply {
      if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: error(401) };
      if (req.method !== 'GET') return { status: 404, body: error(404) };
      if (req.path === '/forms') {
        const page = Number(req.query.get('page') ?? '1');
        const limit = Number(req.query.get('limit') ?? '50');
        if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > 500) return { status: 400, body: error(400) };
        const size = Math.min(limit, options.maxPageSize ?? limit);
        const slice = items.slice((page - 1) * size, page * size);
        return { status: 200, body: { items: slice, page, limit: size, total: items.length, hasMore: page * size < items.length } };
      }
      const m = /^\/forms\/([^/]+)$/.exec(req.path);
      const def = m ? forms.get(decodeURIComponent(m[1] ?? '')) : undefined;
      return def ? { status: 200, body: def } : { status: 404, body: error(404) };
    },
  });
}
