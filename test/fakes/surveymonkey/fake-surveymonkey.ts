/**
 * Contract fake of SurveyMonkey API v3: `Authorization: Bearer <token>`
 * exactly, GET only, paths under `/v3`, `/surveys?page&per_page` (per_page ≤
 * 1000) → `{data, page, per_page, total, links{self, next?}}`,
 * `/surveys/{id}/details` and `/surveys/{id}/collectors` from the fixtures;
 * errors in SurveyMonkey's `{error:{id, name, docs, message, http_status_code}}`.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture, startLoopbackFake, type FakeReply, type LoopbackFake } from '../jotform/loopback-fake.js';

const SOURCES = '/work/shared/fixtures/sources/surveymonkey';
const SINKS = '/work/shared/fixtures/sinks/surveymonkey';

/** Options: the accepted token and the largest page the fake serves. */
export interface FakeSurveyMonkeyOptions {
  readonly token?: string;
  readonly maxPageSize?: number;
}

/** Start the fake; its `url` + `/v3` is the base URL. */
export async function startFakeSurveyMonkey(options: FakeSurveyMonkeyOptions = {}): Promise<LoopbackFake> {
  const token = options.token ?? 'sm-token';
  const list = (loadFixture(join(SOURCES, 'list-surveys.json')) as { data: unknown[] }).data;
  const collectors = loadFixture(join(SOURCES, 'list-collectors.json'));
  const surveys = new Map<string, unknown>();
  for (const f of readdirSync(SOURCES).filter((n) => n.startsWith('survey-'))) {
    const def = loadFixture(join(SOURCES, f)) as { id: string };
    surveys.set(def.id, def);
  }
  const error = (status: number): unknown => {
    const file = { 401: 'error-401.json', 403: 'error-403-scope.json', 404: 'error-404.json', 429: 'error-429.json' }[status];
    return file ? loadFixture(join(SINKS, file)) : loadFixture(join(SINKS, 'error-400-invalid-body.json'));
  };
  return startLoopbackFake({
    errorBody: error,
    retryAfter: '1',
    handle(req): FakeReply {
      if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: error(401) };
      if (req.method !== 'GET' || !req.path.startsWith('/v3/')) return { status: 404, body: error(404) };
      const path = req.path.slice(3);
      if (path === '/surveys') {
        const page = Number(req.query.get('page') ?? '1');
        const perPage = Number(req.query.get('per_page') ?? '50');
        if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 1000) return { status: 400, body: error(400) };
        const size = Math.min(perPage, options.maxPageSize ?? perPage);
        const data = list.slice((page - 1) * size, page * size);
        const self = `https://api.surveymonkey.com/v3/surveys?page=${page}&per_page=${size}`;
        const links = { self, ...(page * size < list.length ? { next: `https://api.surveymonkey.com/v3/surveys?page=${page + 1}&per_page=${size}` } : {}) };
        return { status: 200, body: { data, per_page: size, page, total: list.length, links } };
      }
      const m = /^\/surveys\/([^/]+)\/(details|collectors)$/.exec(path);
      const survey = m ? surveys.get(m[1] ?? '') : undefined;
      if (!m || !survey) return { status: 404, body: error(404) };
      return { status: 200, body: m[2] === 'details' ? survey : collectors };
    },
  });
}
