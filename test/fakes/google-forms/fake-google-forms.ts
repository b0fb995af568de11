/**
 * Contract fake of the Google Forms API v1 (`GET /v1/forms/{formId}`) and
 * the Drive files listing it needs (`GET /drive/v3/files`) on loopback.
 * Checks GET, `Authorization: Bearer <token>`, the Drive `q` filter on the
 * form MIME type and page tokens it issued; answers Google's error envelope
 * `{error:{code, message, status}}` from the sink fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const SOURCES = '/work/shared/fixtures/sources/google-forms';
const SINKS = '/work/shared/fixtures/sinks/google-forms';

/** A fixture without its `_` annotation keys (recursively). */
export function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [k, stripAnnotations(v)]));
}
const load = (path: string): Record<string, unknown> => stripAnnotations(JSON.parse(readFileSync(path, 'utf8'))) as Record<string, unknown>;

/** Every fixture form definition, by formId. */
export function googleFixtureForms(): Map<string, Record<string, unknown>> {
  const forms = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(SOURCES).filter((n) => n.startsWith('form-'))) {
    const def = load(`${SOURCES}/${f}`);
    forms.set(String(def.formId), def);
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
export interface FakeGoogleForms {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Answer the next `n` requests with `status` (429 carries `Retry-After: retryAfter`). */
  failNext(status: number, n?: number, retryAfter?: string): void;
}

/** Google's 401 body (wording of the public API front end). */
export const GOOGLE_401 = {
  error: {
    code: 401,
    message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    status: 'UNAUTHENTICATED',
  },
};

/** Start the fake; Drive pages hold `drivePageSize` files (default 3, so the 5 fixture forms span 2 pages). */
export async function startFakeGoogleForms(options: { token?: string; drivePageSize?: number } = {}): Promise<FakeGoogleForms> {
  const token = options.token ?? 'ya29.test-token';
  const pageSize = options.drivePageSize ?? 3;
  const forms = googleFixtureForms();
  const list = load(`${SOURCES}/drive-files-list-forms.json`);
  const files = Array.isArray(list.files) ? list.files : [];
  const requests: RecordedRequest[] = [];
  const failures: Array<{ status: number; retryAfter: string }> = [];

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, code: number, message: string, status: string): void => send(res, code, { error: { code, message, status } });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    const failure = failures.shift();
    if (failure) {
      if (failure.status === 429) return send(res, 429, load(`${SINKS}/api-error-429.json`), { 'retry-after': failure.retryAfter });
      return error(res, failure.status, 'The service is currently unavailable.', 'UNAVAILABLE');
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, GOOGLE_401);
    if (req.method !== 'GET') return error(res, 405, `Method ${req.method ?? ''} not allowed`, 'INVALID_ARGUMENT');
    if (url.pathname === '/drive/v3/files') {
      const q = url.searchParams.get('q') ?? '';
      if (!q.includes("mimeType='application/vnd.google-apps.form'")) return error(res, 400, 'This fake only lists forms: q must filter on the form MIME type.', 'INVALID_ARGUMENT');
      const token = url.searchParams.get('pageToken');
      const start = token === null ? 0 : /^page-(\d+)$/.test(token) ? Number(token.slice(5)) : -1;
      if (start < 0 || start > files.length) return error(res, 400, 'Invalid Value', 'INVALID_ARGUMENT');
      const end = start + pageSize;
      return send(res, 200, { kind: 'drive#fileList', incompleteSearch: false, ...(end < files.length ? { nextPageToken: `page-${end}` } : {}), files: files.slice(start, end) });
    }
    const match = /^\/v1\/forms\/([^/]+)$/.exec(url.pathname);
    if (match?.[1]) {
      const form = forms.get(decodeURIComponent(match[1]));
      return form ? send(res, 200, form) : send(res, 404, load(`${SINKS}/api-error-404.json`));
    }
    return error(res, 404, `The requested URL ${url.pathname} was not found on this server.`, 'NOT_FOUND');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    failNext(status, n = 1, retryAfter = '3') {
      for (let i = 0; i < n; i++) failures.push({ status, retryAfter });
    },
  };
}
