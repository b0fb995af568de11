/**
 * Contract fake of Google Forms' public `formResponse` endpoint for one form:
 * url-encoded body only, `entry.<N>` names of the form's questions only
 * (plus their `_year`…`_minute` parts and `.other_option_response`), option
 * texts that exist, valid date parts, required questions of the visited
 * sections present; a sign-in-only form redirects to accounts.google.com.
 * Success and error pages are HTML, as Google's are. With `readToken` it
 * also serves the Forms API `GET /v1/forms/{formId}/responses` (exact
 * Bearer token, `timestamp >= …` filter) built from the accepted responses.
 * @module
 */
import type { FormField, FormModel } from '../../../src/core/form/index.js';
import { startFakeSinkServer, type FakeResponse, type FakeSinkServer } from './fake-sink-server.js';

/** One accepted response: the published id and the posted pairs. */
export interface GoogleFormsLedgerEntry {
  readonly publishedId: string;
  readonly fields: Array<[string, string]>;
  readonly createTime: string;
}

/** Options of {@link startGoogleFormsSinkFake}. */
export interface GoogleFormsSinkFakeOptions {
  readonly form: FormModel;
  readonly publishedId: string;
  /** Behave like a form restricted to signed-in users. */
  readonly signInRequired?: boolean;
  /** Serve responses.list to this OAuth token. */
  readonly readToken?: string;
}

const OK_PAGE = '<html><body><div class="freebirdFormviewerViewResponseConfirmationMessage">Your response has been recorded.</div></body></html>';
const bad = (why: string): FakeResponse => ({ status: 400, body: `<html><body><!-- ${why} -->Something went wrong.</body></html>` });

const PART = /^(.*?)(_year|_month|_day|_hour|_minute|_second|_sentinel|\.other_option_response)?$/;
const RANGES: Record<string, [number, number]> = { _year: [1000, 9999], _month: [1, 12], _day: [1, 31], _hour: [0, 23], _minute: [0, 59], _second: [0, 59] };

function check(form: FormModel, pairs: Array<[string, string]>): string | undefined {
  const fields = form.pages.flatMap((p) => p.fields);
  const byKey = new Map<string, FormField>();
  for (const f of fields) {
    if (f.type === 'grid') for (const r of f.rows ?? []) byKey.set(r.key, f);
    else byKey.set(f.key, f);
  }
  const seen = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    if (name === 'fvv' || name === 'pageHistory' || name === 'fbzx' || name === 'partialResponse') continue;
    const [, base = '', part = ''] = PART.exec(name) ?? [];
    const field = byKey.get(base);
    if (!field) return `unknown field ${name}`;
    const range = RANGES[part];
    if (range && (!/^\d+$/.test(value) || Number(value) < range[0] || Number(value) > range[1])) return `bad ${name}`;
    if (part === '' && field.options) {
      const ok = field.options.some((o) => o.value === value) || (value === '__other_option__' && field.allowOther === true);
      if (!ok) return `bad option ${name}=${value}`;
    }
    if (part === '' && field.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) return `bad email ${name}`;
    seen.set(name, [...(seen.get(name) ?? []), value]);
  }
  for (const [name, values] of seen) {
    const field = byKey.get(name);
    if (field && field.type !== 'multiple_choice' && values.length > 1) return `repeated ${name}`;
    if (values.includes('__other_option__') && (seen.get(`${name}.other_option_response`)?.[0] ?? '') === '') return `empty other ${name}`;
  }
  const history = (pairs.find(([k]) => k === 'pageHistory')?.[1] ?? '0').split(',').map(Number);
  if (history[0] !== 0 || history.some((i) => !Number.isInteger(i) || i < 0 || i >= form.pages.length)) return 'bad pageHistory';
  for (const i of history) {
    for (const f of form.pages[i]?.fields ?? []) {
      if (!f.required || f.type === 'statement' || f.type === 'file') continue;
      const keys = f.type === 'grid' ? (f.rows ?? []).map((r) => r.key) : [f.key];
      const present = keys.every((k) => seen.has(k) || seen.has(`${k}_month`) || seen.has(`${k}_hour`));
      if (!present) return `required ${f.key}`;
    }
  }
  return undefined;
}

/** A posted response as the Forms API shows it: answers by questionId (hex), dates as `YYYY-MM-DD HH:MM`. */
function readShape(entry: GoogleFormsLedgerEntry, i: number): unknown {
  const parts = new Map<string, Record<string, string>>();
  const values = new Map<string, string[]>();
  const other = new Map<string, string>();
  for (const [name, value] of entry.fields) {
    const m = /^entry\.(\d+)(_year|_month|_day|_hour|_minute|\.other_option_response)?$/.exec(name);
    if (!m) continue;
    const qid = Number(m[1]).toString(16).padStart(8, '0');
    if (m[2] === '.other_option_response') other.set(qid, value);
    else if (m[2]) parts.set(qid, { ...parts.get(qid), [m[2]]: value });
    else values.set(qid, [...(values.get(qid) ?? []), value]);
  }
  for (const [qid, p] of parts) {
    const date = p._day === undefined ? undefined : `${p._year ? `${p._year}-` : ''}${p._month ?? ''}-${p._day}`;
    const time = p._hour === undefined ? undefined : `${p._hour}:${p._minute ?? ''}`;
    values.set(qid, [[date, time].filter((x) => x !== undefined).join(' ')]);
  }
  const answers = Object.fromEntries([...values].map(([qid, list]) => [qid, { questionId: qid, textAnswers: { answers: list.map((v) => ({ value: v === '__other_option__' ? (other.get(qid) ?? '') : v })) } }]));
  return { responseId: `ACYDBN${i}`, createTime: entry.createTime, lastSubmittedTime: entry.createTime, answers };
}

/** Start the fake for one form. */
export function startGoogleFormsSinkFake(options: GoogleFormsSinkFakeOptions): Promise<FakeSinkServer<GoogleFormsLedgerEntry>> {
  const entries: GoogleFormsLedgerEntry[] = [];
  return startFakeSinkServer<GoogleFormsLedgerEntry>((req, accept) => {
    const list = /^\/v1\/forms\/([^/]+)\/responses$/.exec(req.path);
    if (list && req.method === 'GET' && options.readToken !== undefined) {
      if (req.headers.authorization !== `Bearer ${options.readToken}`) return { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } };
      if (list[1] !== options.form.source.formId) return { status: 404, body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } };
      const since = /^timestamp >= (\S+)$/.exec(req.query.get('filter') ?? '')?.[1];
      const rows = entries.map(readShape).filter((r) => since === undefined || (r as { createTime: string }).createTime >= since);
      return { status: 200, body: rows.length > 0 ? { responses: rows } : {} };
    }
    const m = /^\/forms\/d\/e\/([^/]+)\/formResponse$/.exec(req.path);
    if (req.method !== 'POST' || !m || m[1] !== options.publishedId) return { status: 404, body: '<html><body>Not Found</body></html>' };
    if (options.signInRequired) return { status: 302, headers: { location: `https://accounts.google.com/ServiceLogin?service=wise&continue=https://docs.google.com/forms/d/e/${options.publishedId}/formResponse` } };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return bad('content type');
    const pairs = [...new URLSearchParams(req.body)];
    const problem = check(options.form, pairs);
    if (problem) return bad(problem);
    const entry = { publishedId: options.publishedId, fields: pairs, createTime: new Date().toISOString() };
    entries.push(entry);
    accept(entry);
    return { status: 200, body: OK_PAGE };
  });
}
