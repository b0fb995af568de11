/**
 * Contract fake of HubSpot's Forms API v3 on loopback: serves the fixture
 * form definitions and list pages, checks the request as HubSpot documents
 * it (GET only, `Authorization: Bearer <token>`, `limit` ≤ 100, known
 * `formTypes`, a cursor `after` it issued), and answers errors with
 * HubSpot's envelopes from the sink fixtures (401, 404, 429 + Retry-After).
 */
import { fixtureFormsById, loadFixture, stripAnnotations } from '../shared/fixture-loader.js';
import { reply, startSourceFake, type SourceFake } from '../shared/source-fake.js';
import type { LoopbackReply, LoopbackRequest } from '../shared/loopback-server.js';

const SOURCES = '/work/shared/fixtures/sources/hubspot';
const SINKS = '/work/shared/fixtures/sinks/hubspot';

export { stripAnnotations };
const load = (path: string): Record<string, unknown> => loadFixture(path) as Record<string, unknown>;

/** Every fixture form definition, by id. */
export function hubspotFixtureForms(): Map<string, Record<string, unknown>> {
  return fixtureFormsById(SOURCES, 'id');
}

export type { RecordedRequest } from '../shared/source-fake.js';

/** The running fake. */
export type FakeHubspot = SourceFake;

/** Start the fake on 127.0.0.1 with a random port. */
export async function startFakeHubspot(options: { token?: string } = {}): Promise<FakeHubspot> {
  const token = options.token ?? 'hs-test-token';
  const forms = hubspotFixtureForms();
  const page1 = load(`${SOURCES}/list-forms-page1.json`);
  const page2 = load(`${SOURCES}/list-forms-page2.json`);
  const cursor = String(((page1.paging as Record<string, Record<string, unknown>>).next ?? {}).after);
  let correlation = 0;

  const error = (status: number, message: string, category: string): LoopbackReply =>
    reply(status, { status: 'error', message, correlationId: `00000000-0000-4000-8000-${String(++correlation).padStart(12, '0')}`, category });

  const handle = (req: LoopbackRequest): LoopbackReply => {
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, load(`${SINKS}/crm-error-401.json`));
    if (req.method !== 'GET') return error(405, `Method ${req.method} is not allowed`, 'VALIDATION_ERROR');
    const archived = req.query.get('archived');
    if (archived !== null && archived !== 'true' && archived !== 'false') return error(400, `Invalid archived value '${archived}'`, 'VALIDATION_ERROR');
    if (req.path === '/marketing/v3/forms/' || req.path === '/marketing/v3/forms') {
      const limit = req.query.get('limit');
      if (limit !== null && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100)) return error(400, `limit must be between 1 and 100, got '${limit}'`, 'VALIDATION_ERROR');
      const types = req.query.getAll('formTypes');
      if (types.some((t) => !['hubspot', 'captured', 'flow', 'blog_comment', 'all'].includes(t))) return error(400, `Unknown formTypes ${types.join(',')}`, 'VALIDATION_ERROR');
      const after = req.query.get('after');
      if (after === null) return reply(200, page1);
      if (after === cursor || after === decodeURIComponent(cursor)) return reply(200, page2);
      return error(400, `Invalid paging cursor '${after}'`, 'VALIDATION_ERROR');
    }
    const match = /^\/marketing\/v3\/forms\/([^/]+)$/.exec(req.path);
    if (match?.[1]) {
      const form = forms.get(decodeURIComponent(match[1]));
      if (!form) return error(404, `Form ${decodeURIComponent(match[1])} does not exist`, 'OBJECT_NOT_FOUND');
      return reply(200, form);
    }
    return error(404, `No route for ${req.path}`, 'OBJECT_NOT_FOUND');
  };

  return startSourceFake({ handle, contentType: 'application/json;charset=utf-8', retryAfter: '2', failureBody: (status) => (status === 429 ? load(`${SINKS}/crm-error-429.json`) : error(status, 'Internal error', 'INTERNAL_ERROR').body) });
}
