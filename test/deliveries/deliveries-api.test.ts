import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { registerApiRoutes } from '../../src/server/api-auth.js';
import { deliveriesApiRoutes } from '../../src/server/routes/deliveries-api.js';
import { createDeliveryQueries } from '../../src/services/delivery/delivery-queries.js';
import { createDeliveryReplay } from '../../src/services/delivery/replay.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createDeliveryRepo, type DeliveryJob } from '../../src/store/repos/delivery-repo.js';
import { driveTo, seedSubmission } from './seed-deliveries.js';

const KEY = 'test-api-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };

describe('deliveries admin API', () => {
  let test: TestDatabase;
  let app: FastifyInstance;
  let failed: DeliveryJob;
  let delivered: DeliveryJob;
  const now = new Date('2026-06-01T12:00:00.000Z');

  beforeAll(async () => {
    test = await openTestDatabase('sqlite');
    await migrateToLatest(test.store);
    let clock = new Date('2026-06-01T01:00:00.000Z');
    const repo = createDeliveryRepo(test.store.db, { now: () => clock });
    const s1 = await seedSubmission(test.store.db, repo, 'sub-1', clock, ['crm']);
    await driveTo(repo, s1.crm!, 'failed', clock, { reason: 'Property "interest": value "Maybe" is not valid', field: 'interest' });
    clock = new Date('2026-06-01T02:00:00.000Z');
    const s2 = await seedSubmission(test.store.db, repo, 'sub-2', clock, ['crm']);
    await driveTo(repo, s2.crm!, 'delivered', clock);
    [failed, delivered] = [s1.crm!, s2.crm!];
    clock = now;
    app = Fastify();
    await registerApiRoutes(app, {
      apiKey: new Secret(KEY),
      routes: [deliveriesApiRoutes({ queries: createDeliveryQueries(repo), replay: createDeliveryReplay({ db: test.store.db, repo }), now: () => now })],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await test.cleanup();
  });

  it('401 without the API key or with a wrong one', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/deliveries' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/deliveries/replay', headers: { authorization: 'Bearer wrong-key-wrong-key-wrong' }, payload: { submissionId: 'sub-1' } })).statusCode).toBe(401);
  });

  it('GET /deliveries lists with filters; bad filters are 400 naming the field', async () => {
    const all = await app.inject({ method: 'GET', url: '/api/deliveries', headers: auth });
    expect(all.statusCode).toBe(200);
    expect(all.json().deliveries.map((d: { submissionId: string }) => d.submissionId)).toEqual(['sub-2', 'sub-1']);
    expect(all.json().counts).toEqual({ pending: 0, running: 0, delivered: 1, failed: 1, dead: 0 });
    const onlyFailed = await app.inject({ method: 'GET', url: '/api/deliveries?state=failed&since=12h', headers: auth });
    expect(onlyFailed.json().deliveries).toEqual([expect.objectContaining({ id: failed.id, field: 'interest', lastError: 'Property "interest": value "Maybe" is not valid' })]);
    const bad = await app.inject({ method: 'GET', url: '/api/deliveries?state=lost&limit=5000&colour=red', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
    const badValues = await app.inject({ method: 'GET', url: '/api/deliveries?state=lost&limit=5000', headers: auth });
    expect(badValues.json().issues.map((i: { path: string }) => i.path)).toEqual(['state', 'limit']);
  });

  it('GET /deliveries/:id shows attempts; unknown is 404', async () => {
    const shown = await app.inject({ method: 'GET', url: `/api/deliveries/${failed.id}`, headers: auth });
    expect(shown.statusCode).toBe(200);
    expect(shown.json().attempts[0]).toMatchObject({ outcome: 'permanent', field: 'interest' });
    const missing = await app.inject({ method: 'GET', url: '/api/deliveries/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('POST /deliveries/replay validates the body: 400 for a bad range, both targets, unknown fields', async () => {
    const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/deliveries/replay', headers: auth, payload: payload as object });
    const inverted = await post({ from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json().issues[0]).toMatchObject({ path: 'to' });
    expect((await post({ from: 'yesterday', to: '2026-06-01' })).json().issues[0]).toMatchObject({ path: 'from' });
    expect((await post({ submissionId: 'sub-1', from: '24h', to: '1h' })).statusCode).toBe(400);
    expect((await post({ from: '24h' })).json().issues.map((i: { path: string }) => i.path)).toEqual(['to']);
    expect((await post({ submissionId: 'sub-1', sinks: 'crm' })).json().message).toContain('unknown field(s): sinks');
    expect((await post({})).statusCode).toBe(400);
    expect((await post({ submissionId: 'missing' })).statusCode).toBe(404);
  });

  it('dry-run then real range replay; retry of a delivered job is 409, of a failed one 200', async () => {
    const post = (url: string, payload?: object) => app.inject({ method: 'POST', url, headers: auth, ...(payload === undefined ? {} : { payload }) });
    const dry = await post('/api/deliveries/replay', { from: '2026-06-01', to: '2026-06-02', sink: 'crm', dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, matched: 2, redelivered: [delivered.id], reset: [failed.id] });
    expect((await post(`/api/deliveries/${delivered.id}/retry`)).statusCode).toBe(409);
    const retried = await post(`/api/deliveries/${failed.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().delivery).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await post('/api/deliveries/nope/retry')).statusCode).toBe(404);
    const real = await post('/api/deliveries/replay', { submissionId: 'sub-2' });
    expect(real.json()).toMatchObject({ dryRun: false, redelivered: [delivered.id] });
    const after = await app.inject({ method: 'GET', url: `/api/deliveries/${delivered.id}`, headers: auth });
    expect(after.json().job).toMatchObject({ state: 'pending', generation: 1, idempotencyKey: 'sub-2:crm:g1' });
  });
});
