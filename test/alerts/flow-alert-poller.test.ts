import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlowAlertPoller } from '../../src/services/alerts/flow-alert-poller.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createFlowAlertFeed } from '../../src/store/repos/flow-alert-feed.js';
import { createFlowAlertRepo } from '../../src/store/repos/flow-alert-repo.js';
import type { FlowsEvent } from '../../src/whatsapp/webhook/flows-event.js';

describe.each(['sqlite', 'postgres'] as const)('flows alert poller on %s', (dialect) => {
  let test: TestDatabase;
  let clock = new Date('2026-06-01T10:00:00.000Z');
  const seen: Array<{ event: string | undefined; flowId: string | undefined; threshold: number | undefined; wabaId: string | undefined }> = [];
  const alerts = { onFlowAlert: (e: FlowsEvent, wabaId?: string) => { seen.push({ event: e.event, flowId: e.flowId, threshold: e.threshold, wabaId }); return Promise.resolve(); } };

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('hands every alert stored after its start to the alert service once, in arrival order, across batches and equal timestamps', async () => {
    const repo = createFlowAlertRepo(test.store.db, { now: () => clock });
    await repo.recordAlert({ dedupeKey: 'old', event: 'ENDPOINT_LATENCY', flowId: 'F0', payload: { event: 'ENDPOINT_LATENCY', flow_id: 'F0' } });
    clock = new Date('2026-06-01T10:05:00.000Z');
    const poller = createFlowAlertPoller({ feed: createFlowAlertFeed(test.store.db), alerts, startAt: clock, batch: 2 });
    // three at the same instant, then one later
    for (const n of [1, 2, 3]) await repo.recordAlert({ dedupeKey: `k${n}`, event: 'ENDPOINT_ERROR_RATE', flowId: `F${n}`, wabaId: 'W', payload: { event: 'ENDPOINT_ERROR_RATE', flow_id: `F${n}`, threshold: 10, alert_state: 'ACTIVATED' } });
    expect(await poller.pollOnce()).toBe(3);
    expect(await poller.pollOnce()).toBe(0);
    clock = new Date('2026-06-01T10:06:00.000Z');
    await repo.recordAlert({ dedupeKey: 'k4', event: 'FLOW_STATUS_CHANGE', flowId: 'F4', payload: { event: 'FLOW_STATUS_CHANGE', flow_id: 'F4', new_status: 'BLOCKED' } });
    await repo.recordAlert({ dedupeKey: 'bad', event: 'X', payload: 'not an object' });
    expect(await poller.pollOnce()).toBe(2);
    expect(seen.map((s) => s.flowId).sort()).toEqual(['F1', 'F2', 'F3', 'F4']);
    expect(seen[0]).toMatchObject({ event: 'ENDPOINT_ERROR_RATE', threshold: 10, wabaId: 'W' });
    await poller.stop();
  });
});
