/**
 * Contract fake of SurveyMonkey's `POST /collectors/{id}/responses` for one
 * survey (its `/details` body): exact `Authorization: Bearer <token>`, JSON
 * body, pages/questions/choices/rows/other ids of that survey only, required
 * questions answered, e-mail and date formats as the question validates
 * them, custom variables the survey declares; answers with the fixture
 * success and error bodies. `GET /collectors/{id}/responses/bulk` lists the
 * accepted responses (`start_created_at`, `page`, `per_page`).
 * @module
 */
import { loadSinkFixture, startFakeSinkServer, type FakeResponse, type FakeSinkServer } from '../google-forms-sink/fake-sink-server.js';

/** One accepted response. */
export interface SurveyMonkeyLedgerEntry {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly dateCreated: string;
}

/** Options of {@link startSurveyMonkeySinkFake}. */
export interface SurveyMonkeySinkFakeOptions {
  /** The `GET /surveys/{id}/details` body. */
  readonly survey: unknown;
  readonly collectorId: string;
  readonly token: string;
  /** Answer 409 "collector closed". */
  readonly closed?: boolean;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const fixture = (name: string): FakeResponse => {
  const body = loadSinkFixture('surveymonkey', name);
  return { status: Number(obj(obj(body).error).http_status_code), body };
};
const invalid = (message: string): FakeResponse => {
  const body = obj(loadSinkFixture('surveymonkey', 'error-400-invalid-answer.json'));
  return { status: 400, body: { error: { ...obj(body.error), message } } };
};

const DATE: Record<string, RegExp> = { date_us: /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/\d{4}( (0\d|1[0-2]):[0-5]\d (AM|PM))?$/, date_intl: /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/\d{4}( (0\d|1[0-2]):[0-5]\d (AM|PM))?$/ };

function checkAnswer(q: Obj, a: Obj): string | undefined {
  const qid = String(q.id);
  const answers = obj(q.answers);
  const choices = new Set(list(answers.choices).map((c) => String(c.id)));
  const rows = new Set(list(answers.rows).map((r) => String(r.id)));
  const other = obj(answers.other);
  if ('choice_id' in a && !choices.has(String(a.choice_id))) return `Invalid choice_id '${String(a.choice_id)}' for question '${qid}'.`;
  if ('row_id' in a && !rows.has(String(a.row_id))) return `Invalid row_id '${String(a.row_id)}' for question '${qid}'.`;
  if ('other_id' in a && (String(a.other_id) !== String(other.id) || typeof a.text !== 'string' || a.text === '')) return `Invalid other_id '${String(a.other_id)}' for question '${qid}'.`;
  if (rows.size > 0 && !('row_id' in a) && q.family !== 'single_choice' && q.family !== 'multiple_choice') return `Missing row_id for question '${qid}'.`;
  if ('text' in a && !('other_id' in a)) {
    if (choices.size > 0 && q.family !== 'open_ended') return `Text answer not allowed for question '${qid}'.`;
    const v = obj(q.validation);
    const t = String(a.text);
    if (v.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t)) return `Invalid email for question '${qid}'.`;
    const date = DATE[String(v.type)];
    if (q.family === 'datetime' && date && !date.test(t)) return `Invalid date '${t}' for question '${qid}'.`;
  }
  if (!('choice_id' in a) && !('text' in a)) return `Invalid answer for question '${qid}'.`;
  return undefined;
}

function check(survey: Obj, body: Obj): FakeResponse | undefined {
  if (!Array.isArray(body.pages)) return fixture('error-400-invalid-body.json');
  const declared = obj(survey.custom_variables);
  for (const k of Object.keys(obj(body.custom_variables))) if (!(k in declared)) return invalid(`Invalid custom variable '${k}'.`);
  const answered = new Set<string>();
  for (const p of list(body.pages)) {
    const page = list(survey.pages).find((x) => String(x.id) === String(p.id));
    if (!page) return invalid(`Invalid page '${String(p.id)}'.`);
    for (const qa of list(p.questions)) {
      const q = list(page.questions).find((x) => String(x.id) === String(qa.id));
      if (!q) return invalid(`Invalid question '${String(qa.id)}' for page '${String(p.id)}'.`);
      const answers = list(qa.answers);
      if (answers.length === 0) return invalid(`No answers for question '${String(qa.id)}'.`);
      if (q.family === 'single_choice' && answers.length > 1) return invalid(`Only one answer allowed for question '${String(qa.id)}'.`);
      for (const a of answers) {
        const problem = checkAnswer(q, a);
        if (problem) return invalid(problem);
      }
      answered.add(String(qa.id));
    }
  }
  if (body.response_status === 'completed') {
    for (const q of list(survey.pages).flatMap((p) => list(p.questions))) {
      if (q.required !== null && q.required !== undefined && q.visible !== false && !answered.has(String(q.id))) return invalid(`Question '${String(q.id)}' requires an answer.`);
    }
  }
  return undefined;
}

/** Start the fake for one survey and collector. */
export function startSurveyMonkeySinkFake(options: SurveyMonkeySinkFakeOptions): Promise<FakeSinkServer<SurveyMonkeyLedgerEntry>> {
  const survey = obj(options.survey);
  let next = 118700000001;
  const accepted: SurveyMonkeyLedgerEntry[] = [];
  return startFakeSinkServer<SurveyMonkeyLedgerEntry>((req, accept) => {
    const bulk = /^\/collectors\/([^/]+)\/responses\/bulk$/.exec(req.path);
    if (bulk && req.method === 'GET') {
      if (bulk[1] !== options.collectorId) return fixture('error-404.json');
      if (req.headers.authorization !== `Bearer ${options.token}`) return fixture('error-401.json');
      const since = req.query.get('start_created_at') ?? '';
      const perPage = Number(req.query.get('per_page') ?? 50);
      const page = Number(req.query.get('page') ?? 1);
      const rows = accepted.filter((e) => e.dateCreated.slice(0, 19) >= since);
      const slice = rows.slice((page - 1) * perPage, page * perPage);
      const more = rows.length > page * perPage;
      return { status: 200, body: { data: slice.map((e) => ({ id: e.id, date_created: e.dateCreated, custom_variables: e.body.custom_variables ?? {}, pages: e.body.pages })), per_page: perPage, page, total: rows.length, links: more ? { next: `page=${page + 1}` } : {} } };
    }
    const m = /^\/collectors\/([^/]+)\/responses$/.exec(req.path);
    if (req.method !== 'POST' || !m || m[1] !== options.collectorId) return fixture('error-404.json');
    if (req.headers.authorization !== `Bearer ${options.token}`) return fixture('error-401.json');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return fixture('error-400-invalid-body.json');
    if (options.closed) return fixture('error-409-collector-closed.json');
    let body: Obj;
    try {
      body = obj(JSON.parse(req.body));
    } catch {
      return fixture('error-400-invalid-body.json');
    }
    const problem = check(survey, body);
    if (problem) return problem;
    const id = String(next++);
    const entry = { id, body, dateCreated: new Date().toISOString() };
    accepted.push(entry);
    accept(entry);
    const success = obj(loadSinkFixture('surveymonkey', 'create-response-201.json'));
    return { status: 201, body: { ...success, id, collector_id: options.collectorId, survey_id: String(survey.id), custom_variables: body.custom_variables ?? {}, pages: body.pages } };
  });
}
