/**
 * Contract fake of the Formbricks management API: `x-api-key` header exact,
 * GET only, `/api/v1/management/surveys` (optional `limit`/`offset`) →
 * `{data: Survey[]}`, `/api/v1/management/surveys/{id}` → `{data: Survey}`;
 * errors in Formbricks' `{code, message, details}` shape from the sink
 * fixtures. `toBlocksFormat` turns a classic survey into the newer
 * `blocks[]` format, so both formats can be served.
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture, startLoopbackFake, type FakeReply, type LoopbackFake } from '../jotform/loopback-fake.js';

const SOURCES = '/work/shared/fixtures/sources/formbricks';
const SINKS = '/work/shared/fixtures/sinks/formbricks';

type Obj = Record<string, unknown>;

/** Options: accepted key, page cap, and more surveys to serve (e.g. blocks-format ones). */
export interface FakeFormbricksOptions {
  readonly apiKey?: string;
  readonly maxPageSize?: number;
  readonly extraSurveys?: readonly Obj[];
}

/**
 * The same survey in the `blocks[]` format: `groups` lists question ids per
 * block (default: one block per question); question logic moves to its
 * block with `jumpToBlock`, operands become `element`s.
 */
export function toBlocksFormat(survey: Obj, groups?: string[][]): Obj {
  const questions = (survey.questions as Obj[]).map((q) => structuredClone(q));
  const plan = groups ?? questions.map((q) => [q.id as string]);
  const blockOf = new Map<string, string>();
  plan.forEach((ids, i) => ids.forEach((id) => blockOf.set(id, `blk${i + 1}`)));
  const retarget = (t: string): string => blockOf.get(t) ?? t;
  const blocks = plan.map((ids, i) => {
    const elements = ids.map((id) => questions.find((q) => q.id === id) as Obj);
    const logic = elements.flatMap((e) => ((e.logic as Obj[] | undefined) ?? []).map((l) => ({
      ...l,
      conditions: JSON.parse(JSON.stringify(l.conditions).replace(/"type":"question"/g, '"type":"element"')) as unknown,
      actions: (l.actions as Obj[]).map((a) => (a.objective === 'jumpToQuestion' ? { ...a, objective: 'jumpToBlock', target: retarget(a.target as string) } : a)),
    })));
    const fallback = elements.map((e) => e.logicFallback as string | undefined).find((f) => f !== undefined);
    for (const e of elements) {
      delete e.logic;
      delete e.logicFallback;
    }
    return { id: `blk${i + 1}`, name: `Block ${i + 1}`, elements, ...(logic.length ? { logic } : {}), ...(fallback ? { logicFallback: retarget(fallback) } : {}) };
  });
  const { questions: _q, ...rest } = survey;
  return { ...rest, id: `${survey.id as string}-blocks`, questions: [], blocks };
}

/** Start the fake. */
export async function startFakeFormbricks(options: FakeFormbricksOptions = {}): Promise<LoopbackFake> {
  const apiKey = options.apiKey ?? 'fbk-test';
  const surveys = new Map<string, Obj>();
  for (const f of readdirSync(SOURCES).filter((n) => n.startsWith('survey-'))) {
    const s = (loadFixture(join(SOURCES, f)) as { data: Obj }).data;
    surveys.set(s.id as string, s);
  }
  for (const s of options.extraSurveys ?? []) surveys.set(s.id as string, s);
  const error = (status: number): unknown => {
    const file = { 400: 'error-400-bad-request.json', 401: 'error-401.json', 404: 'error-404.json', 429: 'error-429.json' }[status];
    return file ? loadFixture(join(SINKS, file)) : { code: 'internal_server_error', message: 'Internal server error', details: {} };
  };
  return startLoopbackFake({
    errorBody: error,
    retryAfter: '5',
    handle(req): FakeReply {
      if (req.headers['x-api-key'] !== apiKey) return { status: 401, body: error(401) };
      if (req.method !== 'GET') return { status: 404, body: error(404) };
      if (req.path === '/api/v1/management/surveys') {
        const all = [...surveys.values()];
        const limit = Number(req.query.get('limit') ?? all.length);
        const offset = Number(req.query.get('offset') ?? '0');
        if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return { status: 400, body: error(400) };
        const size = Math.min(limit, options.maxPageSize ?? limit);
        return { status: 200, body: { data: all.slice(offset, offset + size) } };
      }
      const m = /^\/api\/v1\/management\/surveys\/([^/]+)$/.exec(req.path);
      const s = m ? surveys.get(decodeURIComponent(m[1] ?? '')) : undefined;
      return s ? { status: 200, body: { data: s } } : { status: 404, body: error(404) };
    },
  });
}
