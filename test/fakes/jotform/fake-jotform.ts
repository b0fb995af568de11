/**
 * Contract fake of the Jotform API: `APIKEY` header (or `apiKey` query) must
 * equal the configured key, GET only, `/user/forms` with offset/limit paging
 * (limit ≤ 1000), `/form/{id}/questions` and `/form/{id}/properties` from the
 * fixtures; errors in Jotform's envelope (`responseCode`, `message`).
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture, startLoopbackFake, type FakeReply, type LoopbackFake } from './loopback-fake.js';

const SOURCES = '/work/shared/fixtures/sources/jotform';
const SINKS = '/work/shared/fixtures/sinks/jotform';

/** Options: the accepted key and the largest page the fake serves (to exercise paging). */
export interface FakeJotformOptions {
  readonly apiKey?: string;
  readonly maxPageSize?: number;
}

type Form = { id: string; title: string };

/** The form id ↔ fixture stem table (the list fixture's titles). */
export const jotformFixtureIds: Record<string, string> = {
  '241234567890001': 'form-newsletter',
  '241234567890002': 'form-appointment',
  '241234567890003': 'form-nps-feedback',
  '241234567890004': 'form-kyc-onboarding',
  '241234567890005': 'form-large-intake',
};

const envelope = (content: unknown, extra: Record<string, unknown> = {}): unknown => ({ responseCode: 200, message: 'success', content, duration: '5ms', info: null, 'limit-left': 9999, ...extra });

/** Start the fake. */
export async function startFakeJotform(options: FakeJotformOptions = {}): Promise<LoopbackFake> {
  const apiKey = options.apiKey ?? 'jf-test-key';
  const list = (loadFixture(join(SOURCES, 'user-forms.json')) as { content: Form[] }).content;
  const files = new Set(readdirSync(SOURCES));
  const error = (status: number): unknown =>
    status === 401 ? loadFixture(join(SINKS, 'error-401.json')) : status === 404 ? loadFixture(join(SINKS, 'error-404.json')) : status === 429 ? loadFixture(join(SINKS, 'error-429-limit.json')) : { responseCode: status, message: 'Error', content: '', duration: '1ms', info: null };
  return startLoopbackFake({
    errorBody: error,
    handle(req): FakeReply {
      const key = req.headers.apikey ?? req.query.get('apiKey');
      if (key !== apiKey) return { status: 401, body: error(401) };
      if (req.method !== 'GET') return { status: 405, body: { responseCode: 405, message: 'Method not allowed', content: '' } };
      if (req.path === '/user/forms') {
        const offset = Number(req.query.get('offset') ?? '0');
        const limit = Number(req.query.get('limit') ?? '20');
        if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 1000) return { status: 400, body: { responseCode: 400, message: 'Invalid offset or limit', content: '' } };
        const size = Math.min(limit, options.maxPageSize ?? limit);
        const page = list.slice(offset, offset + size);
        return { status: 200, body: envelope(page, { resultSet: { offset, limit: size, orderby: req.query.get('orderby') ?? 'created_at', count: page.length } }) };
      }
      const m = /^\/form\/(\d+)\/(questions|properties)$/.exec(req.path);
      const stem = m ? jotformFixtureIds[m[1] ?? ''] : undefined;
      if (!m || !stem) return { status: 404, body: error(404) };
      const file = `${stem}-${m[2]}.json`;
      if (files.has(file)) return { status: 200, body: loadFixture(join(SOURCES, file)) };
      // Forms without conditions: Jotform still answers properties, without `conditions`.
      if (m[2] === 'properties') return { status: 200, body: envelope({ id: m[1], title: list.find((f) => f.id === m[1])?.title ?? '', status: 'ENABLED' }) };
      return { status: 404, body: error(404) };
    },
  });
}
