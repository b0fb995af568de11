/**
 * Contract fake of Typeform's Create API (`GET /forms`, `GET /forms/{id}`)
 * on loopback. Checks GET, `Authorization: Bearer <token>`, `page` ≥ 1 and
 * `page_size` 1–200; answers `{code, description}` errors from the sink
 * fixtures (401, 404, 429 + Retry-After).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SOURCES = '/work/shared/fixtures/sources/typeform';
const SINKS = '/work/shared/fixtures/sinks/typeform';

/** A fixture without its `_` annotation keys (recursively). */
export function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_') || k === '_links').map(([k, v]) => [k, stripAnnotations(v)]));
}
const load = (path: string): Record<string, unknown> => stripAnnotations(JSON.parse(readFileSync(path, 'utf8'))) as Record<string, unknown>;

/** Every fixture form definition, by id. */
export function typeformFixtureForms(): Map<string, Record<string, unknown>> {
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
export interface FakeTypeform {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Answer the next `n` requests with `status` (429 carries `Retry-After: retryAfter`). */
  failNext(status: number, n?: number, retryAfter?: string): void;
}

/**
 * Start the fake. `maxPageSize` caps pages below what the client asks (a
 * test knob, default 2, so the 5 fixture forms span 3 pages).
 */
export async function startFakeTypeform(options: { token?: string; maxPageSize?: number } = {}): Promise<FakeTypeform> {
  const token = options.token ?? 'tfp_test_token';
  const cap = options.maxPageSize ?? 2;
  const forms = typeformFixtureForms();
  const items = (load(`${SOURCES}/list-forms.json`).items as unknown[] | undefined) ?? [];
  const requests: RecordedRequest[] = [];
  const failures: Array<{ status: number; retryAfter: string }> = [];

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const validation = (res: ServerResponse, field: string, description: string): void =>
    send(res, 400, { code: 'VALIDATION_ERROR', description: 'The request is invalid.', details: [{ code: 'VALIDATION_ERROR', description, field, in: 'query' }] });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    const failure = failures.shift();
    if (failure) {
      if (failure.status === 429) return send(res, 429, load(`${SINKS}/error-429.json`), { 'retry-after': failure.retryAfter });
      return send(res, failure.status, { code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error' });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, load(`${SINKS}/error-401.json`));
    if (req.method !== 'GET') return send(res, 405, { code: 'METHOD_NOT_ALLOWED', description: `Method ${req.method ?? ''} not allowed` });
    if (url.pathname === '/forms') {
      const page = url.searchParams.get('page') ?? '1';
      const size = url.searchParams.get('page_size') ?? '10';
      if (!/^\d+$/.test(page) || Number(page) < 1) return validation(res, 'page', 'page must be a positive integer');
      if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 200) return validation(res, 'page_size', 'page_size must be between 1 and 200');
      const per = Math.min(Number(size), cap);
      const start = (Number(page) - 1) * per;
      return send(res, 200, { total_items: items.length, page_count: Math.max(1, Math.ceil(items.length / per)), items: items.slice(start, start + per) });
    }
    const match = /^\/forms\/([^/]+)$/.exec(url.pathname);
    if (match?.[1]) {
      const id = decodeURIComponent(match[1]);
      const form = forms.get(id);
      return form ? send(res, 200, form) : send(res, 404, { ...load(`${SINKS}/error-404.json`), description: `Non existing form with uid ${id}` });
    }
    return send(res, 404, { code: 'NOT_FOUND', description: `No route ${url.pathname}` });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    failNext(status, n = 1, retryAfter = '1') {
      for (let i = 0; i < n; i++) failures.push({ status, retryAfter });
    },
  };
}
