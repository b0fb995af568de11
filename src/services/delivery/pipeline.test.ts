import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { leadFlow, webhookTo } from '../../../test/delivery-pipeline/pipeline-kit.js';
import { startLoopbackServer, type LoopbackServer } from '../../../test/fakes/shared/loopback-server.js';
import { migrateToLatest } from '../../store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../store/open-test-database.js';
import { createSessionRepo } from '../../store/repos/session-repo.js';
import { createFlowCatalogue } from '../flow-catalogue.js';
import { createSessionService } from '../sessions.js';
import { createDeliveryPipeline } from './pipeline.js';

const config = { deliveryMaxAttempts: 5, deliveryMaxAgeHours: 1, deliveryConcurrency: 4 };

describe('delivery pipeline assembly', () => {
  let server: LoopbackServer;
  const dbs: TestDatabase[] = [];
  beforeAll(async () => {
    server = await startLoopbackServer({ handle: () => ({ status: 200, body: {} }) });
  });
  afterAll(async () => {
    for (const db of dbs) await db.cleanup();
    await server.close();
  });

  it('on SQLite: a completion through the session service reaches the sink', async () => {
    const test = await openTestDatabase('sqlite');
    dbs.push(test);
    await migrateToLatest(test.store);
    const catalogue = createFlowCatalogue([leadFlow([webhookTo(server.url)])]);
    const pipeline = createDeliveryPipeline({ store: test.store, catalogue, config });
    expect(pipeline.queue.kind).toBe('sqlite');
    const sessions = createSessionService(createSessionRepo(test.store.db), { onCompleted: pipeline.onCompleted });
    await pipeline.worker.start();
    const session = await sessions.issue({ flowId: 'F1', contactPhone: '447700900123' });
    const result = await sessions.complete(session.flowToken, JSON.stringify({ flow_token: session.flowToken }));
    await vi.waitFor(async () => expect((await pipeline.repo.listJobs())[0]?.state).toBe('delivered'), { timeout: 5000, interval: 20 });
    await pipeline.worker.stop();
    expect(result.created && server.requests.some((r) => String(r.headers['webhook-id']).includes(result.submissionId))).toBe(true);
  });

  it('on PostgreSQL: refuses to run without pg-boss, naming what to pass', async () => {
    const test = await openTestDatabase('postgres');
    dbs.push(test);
    expect(() => createDeliveryPipeline({ store: test.store, catalogue: createFlowCatalogue([]), config })).toThrow(/pg-boss/);
  });
});
