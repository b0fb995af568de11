/**
 * Contract fake of HubSpot's Forms API v3 on loopback: serves the fixture
 * form definitions and list pages, checks the request as HubSpot documents
 * it (GET only, `Authorization: Bearer <token>`, `limit` ≤ 100, known
 * `formTypes`, a cursor `after` it issued), and answers errors with
 * HubSpot's envelopes from the sink fixtures (401, 404, 429 + Retry-After).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SOURCES = '/work/shared/fixtures/sources/hubspot';
const SINKS = '/work/shared/fixtures/sinks/hubspot';

/** A fixture without its `_` annotation keys (recursively). */
export function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, stripAnnotations(v)]));
}
const load = (path: string): Record<string, unknown> => stripAnnotations(JSON.parse(readFileSync(path, 'utf8'))) as Record<string, unknown>;

/** Every fixture form definition, by id. */
export function hubspotFixtureForms(): Map<string, Record<string, unknown>> {
  const forms = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(SOURCES).filter((n) => n.startsWith('form-'))) {
    const def = load(`${SOURCES}/${f}`);
    forms.set(String(def.id), def);
  }
  return forms;
}

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/** The running fake. */
export interface FakeHubspot {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Answer the next `n` requests with `status` (429 carries `Retry-After: retryAfter`). */
  failNext(status: number, n?: number, retryAfter?: string): void;
}

/** Start the fake on 127.0.0.1 with a random port. */
export async function startFakeHubspot(options: { token?: string } = {}): Promise<FakeHubspot> {
  const token = options.token ?? 'hs-test-token';
  const forms = hubspotFixtureForms();
  const page1 = load(`${SOURCES}/list-forms-page1.json`);
  const page2 = load(`${SOURCES}/list-forms-page2.json`);
  const cursor = String(((page1.paging as Record<string, Record<string, unknown>>).next ?? {}).after);
  const requests: RecordedRequest[] = [];
  const failures: Array<{ status: number; retryAfter: string }> = [];
  let correlation = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string, category: string): void =>
    send(res, status, { status: 'error', message, correlationId: `00000000-0000-4000-8000-${String(++correlation).padStart(12, '0')}`, category });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    const failure = failures.shift();
    if (failure) {
      if (failure.status === 429) return send(res, 429, load(`${SINKS}/crm-error-429.json`), { 'retry-after': failure.retryAfter });
      return error(res, failure.status, 'Internal error', 'INTERNAL_ERROR');
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, load(`${SINKS}/crm-error-401.json`));
    if (req.method !== 'GET') return error(res, 405, `Method ${req.method ?? ''} is not allowed`, 'VALIDATION_ERROR');
    const archived = url.searchParams.get('archived');
    if (archived !== null && archived !== 'true' && archived !== 'false') return error(res, 400, `Invalid archived value '${archived}'`, 'VALIDATION_ERROR');
    if (url.pathname === '/marketing/v3/forms/' || url.pathname === '/marketing/v3/forms') {
      const limit = url.searchParams.get('limit');
      if (limit !== null && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100)) return error(res, 400, `limit must be between 1 and 100, got '${limit}'`, 'VALIDATION_ERROR');
      const types = url.searchParams.getAll('formTypes');
      if (types.some((t) => !['hubspot', 'captured', 'flow', 'blog_comment', 'all'].includes(t))) return error(res, 400, `Unknown formTypes ${types.join(',')}`, 'VALIDATION_ERROR');
      const after = url.searchParams.get('after');
      if (after === null) return send(res, 200, page1);
      if (after === cursor || after === decodeURIComponent(cursor)) return send(res, 200, page2);
      return error(res, 400, `Invalid paging cursor '${after}'`, 'VALIDATION_ERROR');
    }
    const match = /^\/marketing\/v3\/forms\/([^/]+)$/.exec(url.pathname);
    if (match?.[1]) {
      const form = forms.get(decodeURIComponent(match[1]));
      if (!form) return error(res, 404, `Form ${decodeURIComponent(match[1])} does not exist`, 'OBJECT_NOT_FOUND');
      return send(res, 200, form);
    }
    return error(res, 404, `No route for ${url.pathname}`, 'OBJECT_NOT_FOUND');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    failNext(status, n = 1, retryAfter = '2') {
      for (let i = 0; i < n; i++) failures.push({ status, retryAfter });
    },
  };
}
