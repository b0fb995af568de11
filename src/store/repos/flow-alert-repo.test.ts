import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createFlowAlertRepo, type FlowAlertRepo } from './flow-alert-repo.js';

describe.each(['sqlite', 'postgres'] as const)('flow alert repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: FlowAlertRepo;
  let clock = new Date('2026-06-01T00:00:00.000Z');

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createFlowAlertRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('records an alert once per dedupe key, newest first, and filters by flow and acknowledgement', async () => {
    const latency = { dedupeKey: 'flows:a', event: 'ENDPOINT_LATENCY', flowId: 'F1', alertState: 'ACTIVATED', payload: { p90Latency: 8000 } };
    expect(await repo.recordAlert(latency)).toBe(true);
    expect(await repo.recordAlert({ ...latency, message: 'again' })).toBe(false);
    clock = new Date(clock.getTime() + 60_000);
    expect(await repo.recordAlert({ dedupeKey: 'flows:b', event: 'FLOW_STATUS_CHANGE', flowId: 'F1', payload: { newStatus: 'THROTTLED' }, message: 'throttled\u0000' })).toBe(true);
    expect(await repo.recordAlert({ dedupeKey: 'flows:c', event: 'ENDPOINT_AVAILABILITY', flowId: 'F2', payload: {} })).toBe(true);

    const f1 = await repo.listAlerts({ flowId: 'F1' });
    expect(f1.map((a) => a.event)).toEqual(['FLOW_STATUS_CHANGE', 'ENDPOINT_LATENCY']);
    expect(f1[0]?.message).toBe('throttled\uFFFD');
    expect(JSON.parse(f1[1]!.payloadJson)).toEqual({ p90Latency: 8000 });

    expect(await repo.acknowledge(f1[0]!.id)).toBe(true);
    expect(await repo.acknowledge(f1[0]!.id)).toBe(false);
    expect((await repo.listAlerts({ unacknowledged: true })).map((a) => a.event).sort()).toEqual(['ENDPOINT_AVAILABILITY', 'ENDPOINT_LATENCY']);
    expect(await repo.listAlerts({ limit: 1 })).toHaveLength(1);
  });

  it('stores one alert under concurrent redeliveries', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => repo.recordAlert({ dedupeKey: 'flows:conc', event: 'CLIENT_ERROR_RATE', payload: {} })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
