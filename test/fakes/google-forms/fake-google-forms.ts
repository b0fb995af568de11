/**
 * Contract fake of the Google Forms API v1 (`GET /v1/forms/{formId}`) and
 * the Drive files listing it needs (`GET /drive/v3/files`) on loopback.
 * Checks GET, `Authorization: Bearer <token>`, the Drive `q` filter on the
 * form MIME type and page tokens it issued; answers Google's error envelope
 * `{error:{code, message, status}}` from the sink fixtures.
 */
import { fixtureFormsById, loadFixture, stripAnnotations } from '../shared/fixture-loader.js';
import { reply, startSourceFake, type SourceFake } from '../shared/source-fake.js';
import type { LoopbackReply, LoopbackRequest } from '../shared/loopback-server.js';

const SOURCES = '/work/shared/fixtures/sources/google-forms';
const SINKS = '/work/shared/fixtures/sinks/google-forms';

export { stripAnnotations };
const load = (path: string): Record<string, unknown> => loadFixture(path) as Record<string, unknown>;

/** Every fixture form definition, by formId. */
export function googleFixtureForms(): Map<string, Record<string, unknown>> {
  return fixtureFormsById(SOURCES, 'formId');
}

export type { RecordedRequest } from '../shared/source-fake.js';

/** The running fake. */
export type FakeGoogleForms = SourceFake;

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

  const error = (code: number, message: string, status: string): LoopbackReply => reply(code, { error: { code, message, status } });

  const handle = (req: LoopbackRequest): LoopbackReply => {
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, GOOGLE_401);
    if (req.method !== 'GET') return error(405, `Method ${req.method} not allowed`, 'INVALID_ARGUMENT');
    if (req.path === '/drive/v3/files') {
      const q = req.query.get('q') ?? '';
      if (!q.includes("mimeType='application/vnd.google-apps.form'")) return error(400, 'This fake only lists forms: q must filter on the form MIME type.', 'INVALID_ARGUMENT');
      const token = req.query.get('pageToken');
      const start = token === null ? 0 : /^page-(\d+)$/.test(token) ? Number(token.slice(5)) : -1;
      if (start < 0 || start > files.length) return error(400, 'Invalid Value', 'INVALID_ARGUMENT');
      const end = start + pageSize;
      return reply(200, { kind: 'drive#fileList', incompleteSearch: false, ...(end < files.length ? { nextPageToken: `page-${end}` } : {}), files: files.slice(start, end) });
    }
    const match = /^\/v1\/forms\/([^/]+)$/.exec(req.path);
    if (match?.[1]) {
      const form = forms.get(decodeURIComponent(match[1]));
      return form ? reply(200, form) : reply(404, load(`${SINKS}/api-error-404.json`));
    }
    return error(404, `The requested URL ${req.path} was not found on this server.`, 'NOT_FOUND');
  };

  return startSourceFake({ handle, contentType: 'application/json; charset=UTF-8', retryAfter: '3', failureBody: (status) => (status === 429 ? load(`${SINKS}/api-error-429.json`) : { error: { code: status, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }) });
}
