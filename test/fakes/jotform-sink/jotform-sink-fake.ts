/**
 * Contract fake of Jotform's `POST /form/{id}/submissions` for one form (its
 * `/questions` content): exact `APIKEY` header, form-encoded body,
 * `submission[<qid>]` of real questions with the sub-keys their type has,
 * option texts that exist (or "Other" where allowed), e-mail and date-part
 * formats, required questions present. Answers in Jotform's envelope; the
 * 400 wording is ours (Jotform's is unconfirmed). `GET
 * /form/{id}/submissions` lists accepted submissions, newest first, with
 * `answers[qid].answer` (a string, or an object of sub-fields).
 * @module
 */
import { loadSinkFixture, startFakeSinkServer, type FakeResponse, type FakeSinkServer } from '../google-forms-sink/fake-sink-server.js';

/** One accepted submission. */
export interface JotformLedgerEntry {
  readonly submissionID: string;
  readonly fields: Array<[string, string]>;
}

/** Options of {@link startJotformSinkFake}. */
export interface JotformSinkFakeOptions {
  /** The `content` of `GET /form/{id}/questions`. */
  readonly questions: Record<string, Record<string, unknown>>;
  readonly formId: string;
  readonly apiKey: string;
}

const SUBS: Record<string, RegExp> = {
  control_fullname: /^(prefix|first|middle|last|suffix)$/,
  control_address: /^(addr_line1|addr_line2|city|state|postal|country)$/,
  control_phone: /^(full|area|phone)$/,
  control_datetime: /^(day|month|year|hour|min|ampm)$/,
  control_time: /^(hourSelect|minuteSelect|ampm)$/,
  control_matrix: /^\d+$/,
};
const RANGES: Record<string, [number, number]> = { day: [1, 31], month: [1, 12], year: [1000, 9999], hour: [0, 23], min: [0, 59], hourSelect: [0, 23], minuteSelect: [0, 59] };
const fixture = (name: string): FakeResponse => {
  const body = loadSinkFixture('jotform', name) as { responseCode: number };
  return { status: body.responseCode, body };
};
const invalid = (message: string): FakeResponse => ({ status: 400, body: { responseCode: 400, message, content: '', duration: '4.10ms', info: null } });
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function check(questions: Record<string, Record<string, unknown>>, pairs: Array<[string, string]>): FakeResponse | undefined {
  const seen = new Set<string>();
  for (const [name, value] of pairs) {
    const m = /^submission\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(name);
    const q = m ? questions[m[1] ?? ''] : undefined;
    if (!m || !q) return invalid(`Question ID ${m?.[1] ?? name} does not exist on this form.`);
    const type = str(q.type);
    const sub = m[2];
    const subs = SUBS[type];
    if (sub === undefined ? subs !== undefined && type !== 'control_phone' : !subs?.test(sub)) return invalid(`Question ID ${m[1] ?? ''}: unexpected field ${name}.`);
    const range = sub === undefined ? undefined : RANGES[sub];
    if (range && (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1])) return invalid(`Question ID ${m[1] ?? ''}: invalid ${sub} '${value}'.`);
    if (['control_dropdown', 'control_radio', 'control_checkbox'].includes(type)) {
      const options = str(q.options).split('|');
      const values = type === 'control_checkbox' ? value.split('\n') : [value];
      const bad = values.find((v) => !options.includes(v));
      if (bad !== undefined && str(q.allowOther) !== 'Yes') return invalid(`Question ID ${m[1] ?? ''}: '${bad}' is not an option.`);
    }
    if (type === 'control_email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return invalid(`Question ID ${m[1] ?? ''}: invalid e-mail address.`);
    if (value.trim() !== '') seen.add(sub === undefined || type === 'control_phone' ? (m[1] ?? '') : `${m[1] ?? ''}[${sub}]`);
  }
  for (const [qid, q] of Object.entries(questions)) {
    if (str(q.required) !== 'Yes') continue;
    const type = str(q.type);
    const need = type === 'control_fullname' ? [`${qid}[first]`, `${qid}[last]`] : type === 'control_datetime' ? [`${qid}[day]`] : type === 'control_time' ? [`${qid}[hourSelect]`] : [qid];
    const missing = need.find((k) => !seen.has(k));
    if (missing !== undefined) return invalid(`Question ID ${qid}: this field is required.`);
  }
  return undefined;
}

/** Start the fake for one form. */
export function startJotformSinkFake(options: JotformSinkFakeOptions): Promise<FakeSinkServer<JotformLedgerEntry>> {
  let next = 5901234567890123456n;
  const accepted: JotformLedgerEntry[] = [];
  return startFakeSinkServer<JotformLedgerEntry>((req, accept) => {
    const m = /^\/form\/([^/]+)\/submissions$/.exec(req.path);
    if (m && req.method === 'GET') {
      if (m[1] !== options.formId) return fixture('error-404.json');
      if (req.headers['apikey'] !== options.apiKey) return fixture('error-401.json');
      const limit = Number(req.query.get('limit') ?? 20);
      const content = [...accepted].reverse().slice(0, limit).map((e) => {
        const answers: Record<string, { answer: string | Record<string, string> }> = {};
        for (const [name, value] of e.fields) {
          const [, qid = '', sub] = /^submission\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(name) ?? [];
          if (sub === undefined) answers[qid] = { answer: value };
          else answers[qid] = { answer: { ...(answers[qid]?.answer as Record<string, string> | undefined), [sub]: value } };
        }
        return { id: e.submissionID, form_id: options.formId, status: 'ACTIVE', answers };
      });
      return { status: 200, body: { responseCode: 200, message: 'success', content, duration: '12ms', info: null, 'limit-left': 9873, resultSet: { offset: 0, limit, orderby: 'created_at', count: content.length } } };
    }
    if (req.method !== 'POST' || !m || m[1] !== options.formId) return fixture('error-404.json');
    if (req.headers['apikey'] !== options.apiKey) return fixture('error-401.json');
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return invalid('Content-Type must be application/x-www-form-urlencoded.');
    const pairs = [...new URLSearchParams(req.body)];
    const problem = check(options.questions, pairs);
    if (problem) return problem;
    const submissionID = String(next++);
    const entry = { submissionID, fields: pairs };
    accepted.push(entry);
    accept(entry);
    const success = loadSinkFixture('jotform', 'create-submission-success.json') as Record<string, unknown>;
    return { status: 200, body: { ...success, content: { submissionID, URL: `https://api.jotform.com/submission/${submissionID}` } } };
  });
}
