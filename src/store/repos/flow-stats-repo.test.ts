import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createFlowStatsRepo } from './flow-stats-repo.js';
import { createSessionRepo } from './session-repo.js';

describe.each(['sqlite', 'postgres'] as const)('flow funnels on %s', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
  });
  afterEach(async () => { await test.cleanup(); });

  it('counts sends, opens, completions, in-progress and drop-off per last screen, per flow and campaign', async () => {
    let clock = new Date('2026-11-26T10:00:00.000Z');
    const sessions = createSessionRepo(test.store.db, { now: () => clock });
    const stats = createFlowStatsRepo(test.store.db, { now: () => clock });
    const issue = (flowId: string, campaign: string | null, ttlMs = 60_000) => sessions.createSession({ flowId, contactPhone: '31600000000', campaign, ttlMs });
    const a = await Promise.all([1, 2, 3, 4, 5].map(() => issue('lead', 'nov')));
    const b = await issue('lead', 'dec', 1000);
    const other = await issue('kyc', null);
    await sessions.recordScreen(a[0]!.flowToken, 'DETAILS');
    await sessions.recordScreen(a[1]!.flowToken, 'DETAILS');
    await sessions.recordScreen(a[2]!.flowToken, 'CONSENT');
    await sessions.completeSession(a[2]!.flowToken, '{}');
    await sessions.completeSession(a[3]!.flowToken, '{}');
    await sessions.recordScreen(b.flowToken, 'CONSENT');
    await sessions.recordScreen(other.flowToken, 'ID');
    clock = new Date(clock.getTime() + 5000); // b's token has expired; the others are still open

    const all = await stats.funnels();
    expect(all.map((f) => f.flowId)).toEqual(['kyc', 'lead']);
    const lead = all.find((f) => f.flowId === 'lead')!;
    expect(lead).toMatchObject({ sent: 6, opened: 5, completed: 2, inProgress: 3 });
    expect(lead.droppedAt).toEqual([
      { screen: 'DETAILS', sessions: 2 },
      { screen: 'CONSENT', sessions: 1 },
      { screen: null, sessions: 1 },
    ]);
    const nov = await stats.funnels({ flowId: 'lead', campaign: 'nov' });
    expect(nov).toHaveLength(1);
    expect(nov[0]).toMatchObject({ sent: 5, opened: 4, completed: 2 });
    expect(await stats.funnels({ flowId: 'none' })).toEqual([]);
    expect(await stats.funnels({ since: '2026-11-27T00:00:00.000Z' })).toEqual([]);
  });
});
