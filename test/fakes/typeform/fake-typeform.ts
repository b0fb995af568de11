/**
 * Contract fake of Typeform's Create API (`GET /forms`, `GET /forms/{id}`)
 * on loopback. Checks GET, `Authorization: Bearer <token>`, `page` ≥ 1 and
 * `page_size` 1–200; answers `{code, description}` errors from the sink
 * fixtures (401, 404, 429 + Retry-After).
 */
import { fixtureFormsById, loadFixture, stripAnnotations } from '../shared/fixture-loader.js';
import { reply, startSourceFake, type SourceFake } from '../shared/source-fake.js';
import type { LoopbackReply, LoopbackRequest } from '../shared/loopback-server.js';

const SOURCES = '/work/shared/fixtures/sources/typeform';
const SINKS = '/work/shared/fixtures/sinks/typeform';

/** A fixture without its `_` annotation keys (recursively), keeping Typeform's own `_links`. */
export function stripTypeformAnnotations(value: unknown): unknown {
  return stripAnnotations(value, ['_links']);
}
export { stripTypeformAnnotations as stripAnnotations };
const load = (path: string): Record<string, unknown> => loadFixture(path, ['_links']) as Record<string, unknown>;

/** Every fixture form definition, by id. */
export function typeformFixtureForms(): Map<string, Record<string, unknown>> {
  return fixtureFormsById(SOURCES, 'id', ['_links']);
}

export type { RecordedRequest } from '../shared/source-fake.js';

/** The running fake. */
export type FakeTypeform = SourceFake;

/**
 * Start the fake. `maxPageSize` caps pages below what the client asks (a
 * test knob, default 2, so the 5 fixture forms span 3 pages).
 */
export async function startFakeTypeform(options: { token?: string; maxPageSize?: number } = {}): Promise<FakeTypeform> {
  const token = options.token ?? 'tfp_test_token';
  const cap = options.maxPageSize ?? 2;
  const forms = typeformFixtureForms();
  const items = (load(`${SOURCES}/list-forms.json`).items as unknown[] | undefined) ?? [];

  const validation = (field: string, description: string): LoopbackReply =>
    reply(400, { code: 'VALIDATION_ERROR', description: 'The request is invalid.', details: [{ code: 'VALIDATION_ERROR', description, field, in: 'query' }] });

  const handle = (req: LoopbackRequest): LoopbackReply => {
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, load(`${SINKS}/error-401.json`));
    if (req.method !== 'GET') return reply(405, { code: 'METHOD_NOT_ALLOWED', description: `Method ${req.method} not allowed` });
    if (req.path === '/forms') {
      const page = req.query.get('page') ?? '1';
      const size = req.query.get('page_size') ?? '10';
      if (!/^\d+$/.test(page) || Number(page) < 1) return validation('page', 'page must be a positive integer');
      if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 200) return validation('page_size', 'page_size must be between 1 and 200');
      const per = Math.min(Number(size), cap);
      const start = (Number(page) - 1) * per;
      return reply(200, { total_items: items.length, page_count: Math.max(1, Math.ceil(items.length / per)), items: items.slice(start, start + per) });
    }
    const match = /^\/forms\/([^/]+)$/.exec(req.path);
    if (match?.[1]) {
      const id = decodeURIComponent(match[1]);
      const form = forms.get(id);
      return form ? reply(200, form) : reply(404, { ...load(`${SINKS}/error-404.json`), description: `Non existing form with uid ${id}` });
    }
    return reply(404, { code: 'NOT_FOUND', description: `No route ${req.path}` });
  };

  return startSourceFake({ handle, contentType: 'application/json; charset=utf-8', retryAfter: '1', failureBody: (status) => (status === 429 ? load(`${SINKS}/error-429.json`) : { code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' }) });
}
