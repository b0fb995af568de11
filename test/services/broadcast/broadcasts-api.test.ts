import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.js';
import { registerApiRoutes } from '../../../src/server/api-auth.js';
import { broadcastsApi } from '../../../src/server/routes/broadcasts-api.js';
import { broadcastStack, surveyFlow, type BroadcastStack } from './broadcast-setup.js';

const KEY = 'k'.repeat(32);
const auth = { authorization: `Bearer ${KEY}` };

describe('broadcasts API', () => {
  let stack: BroadcastStack;
  let app: FastifyInstance;
  let templateStatus: string | undefined = 'APPROVED';
  beforeAll(async () => {
    stack = await broadcastStack('sqlite', surveyFlow('1234'), { templateStatus: () => Promise.resolve(templateStatus === undefined ? undefined : { status: templateStatus }) });
    app = Fastify();
    await registerApiRoutes(app, { apiKey: new Secret(KEY), routes: [broadcastsApi({ service: stack.service })] });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await stack.cleanup();
  }, 60_000);

  const csv = 'phone,name,opt_in\n+31612345678,Ann,yes\nnope,Bob,yes\n+31623456789,Cem,no\n+31634567890,Dan,1\n';
  const create = (payload: string, query = '?flow=survey') => app.inject({ method: 'POST', url: `/api/broadcasts${query}`, headers: { ...auth, 'content-type': 'text/csv; charset=utf-8' }, payload });

  it('refuses requests without the API key', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/broadcasts?flow=survey', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(401);
  });

  it('creates a broadcast from CSV text, reporting refused rows by line, and shows its progress', async () => {
    const res = await create(csv);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.recipients).toBe(2);
    expect(body.rejected.map((r: { line: number }) => r.line)).toEqual([3, 4]);
    expect(body.broadcast).toMatchObject({ flowId: 'survey', template: 'spring_survey', state: 'draft', rate: 80 });
    const status = await app.inject({ method: 'GET', url: `/api/broadcasts/${body.broadcast.id}`, headers: auth });
    expect(status.statusCode).toBe(200);
    expect(status.json().counters).toMatchObject({ total: 2, queued: 2, sent: 0, delivered: 0, opened: 0, completed: 0 });
  });

  it('accepts JSON with the list in "csv", region and opted-in flag', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/broadcasts', headers: auth, payload: { flow: 'survey', csv: 'mobile\n06 1234 5678\n', region: 'NL', optedIn: true, rate: 20 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ recipients: 1, rejected: [], broadcast: { rate: 20, region: 'NL', optedIn: true } });
  });

  it('answers bad input with a specific status and message', async () => {
    const noFlow = await create(csv, '');
    expect(noFlow.statusCode).toBe(400);
    expect(noFlow.json().message).toMatch(/flow/);
    const unknown = await create(csv, '?flow=nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/No flow "nope".*survey/);
    const noPhone = await create('name,opt_in\nAnn,yes\n');
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().message).toMatch(/no phone column/);
    const nothingUsable = await create('phone,opt_in\nnope,yes\n+31612345678,no\n');
    expect(nothingUsable.statusCode).toBe(422);
    expect(nothingUsable.json().rejected).toHaveLength(2);
    const badRate = await create(csv, '?flow=survey&rate=5000');
    expect(badRate.statusCode).toBe(400);
    expect(badRate.json().message).toMatch(/rate must be at most 1000/);
  });

  it('starts, pauses, resumes and cancels, refusing what the state or the template does not allow', async () => {
    stack.clock.advance(1000); // the newest, for the list below
    const id = (await create(csv)).json().broadcast.id as string;
    const act = (action: string, target = id) => app.inject({ method: 'POST', url: `/api/broadcasts/${target}/${action}`, headers: auth });
    templateStatus = 'PENDING';
    const pending = await act('start');
    expect(pending.statusCode).toBe(409);
    expect(pending.json().message).toMatch(/Template "spring_survey" \(en_US\) is PENDING, not APPROVED/);
    templateStatus = undefined;
    expect((await act('start')).json().message).toMatch(/does not exist at Meta/);
    templateStatus = 'APPROVED';
    expect((await act('resume')).statusCode).toBe(409);
    expect((await act('start')).json().broadcast.state).toBe('running');
    expect((await act('pause')).json().broadcast.state).toBe('paused');
    expect((await act('resume')).json().broadcast.state).toBe('running');
    expect((await act('cancel')).json().broadcast.state).toBe('cancelled');
    const again = await act('resume');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/cancelled; it cannot be resumed \(create a new broadcast/);
    const status = await app.inject({ method: 'GET', url: `/api/broadcasts/${id}`, headers: auth });
    expect(status.json().counters).toMatchObject({ total: 2, skipped: 2, queued: 0 });
    expect((await act('start', 'missing')).statusCode).toBe(404);
    const listed = await app.inject({ method: 'GET', url: '/api/broadcasts', headers: auth });
    expect(listed.json().broadcasts[0]).toMatchObject({ id, state: 'cancelled' });
    expect((await app.inject({ method: 'GET', url: '/api/broadcasts/missing', headers: auth })).statusCode).toBe(404);
  });
});
