/**
 * Contract fake of Formbricks' response endpoints for one survey (its raw
 * definition): the public client `POST /api/v1/client/{environmentId}/responses`,
 * the management `POST /api/v1/management/responses` and `GET
 * /api/v1/management/responses?surveyId=` (exact `x-api-key`). It checks
 * `surveyId`, question and hidden-field ids, choice labels, NPS/rating
 * ranges, `YYYY-MM-DD` dates, e-mail and number text, compound array sizes,
 * consent `"accepted"` and required questions (when the survey has no
 * jumps), and answers with the fixture bodies.
 * @module
 */
import { loadSinkFixture, startFakeSinkServer, type FakeResponse, type FakeSinkServer } from '../google-forms-sink/fake-sink-server.js';

/** One accepted response. */
export interface FormbricksLedgerEntry {
  readonly id: string;
  readonly createdAt: string;
  readonly api: 'client' | 'management';
  readonly body: Record<string, unknown>;
}

/** Options of {@link startFormbricksSinkFake}. */
export interface FormbricksSinkFakeOptions {
  /** The survey definition (`GET /api/v1/management/surveys/{id}` data). */
  readonly survey: unknown;
  readonly environmentId: string;
  readonly apiKey: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const fixture = (name: string, status: number): FakeResponse => ({ status, body: loadSinkFixture('formbricks', name) });
const bad = (details: Record<string, string>): FakeResponse => ({ status: 400, body: { code: 'bad_request', message: 'Fields are missing or incorrectly formatted', details } });
const labelOf = (v: unknown): string => { const d = typeof v === 'string' ? v : obj(v).default; return typeof d === 'string' ? d : ''; };

function checkValue(q: Obj, v: unknown): string | undefined {
  const type = String(q.type);
  const choices = list(q.choices);
  const labels = choices.map((c) => labelOf(c.label));
  const hasOther = choices.some((c) => c.id === 'other');
  switch (type) {
    case 'multipleChoiceSingle':
      return typeof v === 'string' && (labels.includes(v) || (hasOther && v !== '')) ? undefined : 'Invalid choice';
    case 'multipleChoiceMulti':
      return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && (labels.includes(x) || hasOther)) ? undefined : 'Invalid choices';
    case 'nps':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 10 ? undefined : 'Invalid NPS value';
    case 'rating':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= Number(q.range ?? 5) ? undefined : 'Invalid rating';
    case 'date':
      return typeof v === 'string' && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(v) ? undefined : 'Invalid date';
    case 'consent':
      return v === 'accepted' ? undefined : 'Invalid consent';
    case 'contactInfo':
      return Array.isArray(v) && v.length === 5 && v.every((x) => typeof x === 'string') ? undefined : 'Invalid contact info';
    case 'address':
      return Array.isArray(v) && v.length === 6 && v.every((x) => typeof x === 'string') ? undefined : 'Invalid address';
    case 'fileUpload':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && /^https?:\/\//.test(x)) ? undefined : 'Invalid file URLs';
    case 'openText': {
      if (typeof v !== 'string') return 'Expected text';
      if (q.inputType === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return 'Invalid email';
      if (q.inputType === 'number' && (v.trim() === '' || !Number.isFinite(Number(v)))) return 'Invalid number';
      return undefined;
    }
    default:
      return undefined;
  }
}

function check(survey: Obj, body: Obj): FakeResponse | undefined {
  if (typeof body.surveyId !== 'string') return fixture('error-400-bad-request.json', 400);
  if (body.surveyId !== survey.id) return fixture('error-404.json', 404);
  const questions = list(survey.questions).length > 0 ? list(survey.questions) : list(survey.blocks).flatMap((b) => list(b.elements));
  const hidden = new Set((Array.isArray(obj(survey.hiddenFields).fieldIds) ? (obj(survey.hiddenFields).fieldIds as unknown[]) : []).map(String));
  const data = obj(body.data);
  for (const [key, v] of Object.entries(data)) {
    const q = questions.find((x) => x.id === key);
    if (!q) {
      if (hidden.has(key) && typeof v === 'string') continue;
      return bad({ [key]: 'Unknown question or hidden field' });
    }
    const problem = checkValue(q, v);
    if (problem) return bad({ [key]: problem });
  }
  const jumps = questions.some((q) => list(q.logic).length > 0 || q.logicFallback !== undefined);
  if (body.finished === true && !jumps) {
    const missing = questions.find((q) => q.required === true && !['cta', 'cal'].includes(String(q.type)) && !(String(q.id) in data));
    if (missing) return bad({ [String(missing.id)]: 'Required' });
  }
  return undefined;
}

/** Start the fake for one survey. */
export function startFormbricksSinkFake(options: FormbricksSinkFakeOptions): Promise<FakeSinkServer<FormbricksLedgerEntry>> {
  const raw = obj(options.survey);
  const survey = 'data' in raw ? obj(raw.data) : raw;
  let next = 1;
  let ledgerRef: FormbricksLedgerEntry[] = [];
  const server = startFakeSinkServer<FormbricksLedgerEntry>((req, accept) => {
    const client = /^\/api\/v1\/client\/([^/]+)\/responses$/.exec(req.path);
    const management = req.path === '/api/v1/management/responses';
    if (!client && !management) return fixture('error-404.json', 404);
    if (client && client[1] !== options.environmentId) return fixture('error-404.json', 404);
    if (management && req.headers['x-api-key'] !== options.apiKey) return fixture('error-401.json', 401);
    if (management && req.method === 'GET') {
      const rows = ledgerRef.filter((e) => e.body.surveyId === req.query.get('surveyId')).reverse().slice(0, Number(req.query.get('limit') ?? 10));
      return { status: 200, body: { data: rows.map((e) => ({ id: e.id, createdAt: e.createdAt, surveyId: e.body.surveyId, finished: e.body.finished, data: e.body.data })) } };
    }
    if (req.method !== 'POST') return fixture('error-404.json', 404);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return fixture('error-400-bad-request.json', 400);
    let body: Obj;
    try {
      body = obj(JSON.parse(req.body));
    } catch {
      return fixture('error-400-bad-request.json', 400);
    }
    const problem = check(survey, body);
    if (problem) return problem;
    const id = `clrsp${String(next++).padStart(20, '0')}`;
    const createdAt = new Date().toISOString();
    accept({ id, createdAt, api: client ? 'client' : 'management', body });
    if (client) return { status: 200, body: { data: { id } } };
    const success = obj(obj(loadSinkFixture('formbricks', 'management-create-response-success.json')).data);
    return { status: 200, body: { data: { ...success, id, createdAt, updatedAt: createdAt, surveyId: body.surveyId, data: body.data, meta: body.meta ?? {} } } };
  });
  return server.then((s) => {
    ledgerRef = s.ledger;
    return s;
  });
}
