import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createEntryPointRepo, type EntryPointRepo } from './entry-point-repo.js';

describe.each(['sqlite', 'postgres'] as const)('entry point repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: EntryPointRepo;
  let clock = new Date('2026-06-01T00:00:00.000Z');
  const trigger = (id: string) => ({ inboundMessageId: id, flowId: 'newsletter', entry: 'keyword' as const, waId: '972987654321' });

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createEntryPointRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('grants one of six concurrent claims of the same inbound message', async () => {
    const claims = await Promise.all(Array.from({ length: 6 }, () => repo.claimTrigger(trigger('wamid.C1'))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.getTrigger('wamid.C1')).toMatchObject({ state: 'sending', attempts: 1, flowId: 'newsletter', entry: 'keyword' });
  });

  it('never grants a claim again once sent or refused', async () => {
    expect(await repo.claimTrigger(trigger('wamid.S1'))).toBe(true);
    await repo.finishTrigger('wamid.S1', { state: 'sent', sendId: 'send-1', flowToken: 'tok-1' });
    expect(await repo.claimTrigger(trigger('wamid.S1'), { staleAfterMs: 0 })).toBe(false);
    expect(await repo.getTrigger('wamid.S1')).toMatchObject({ state: 'sent', sendId: 'send-1', flowToken: 'tok-1', errorCode: null });

    expect(await repo.claimTrigger(trigger('wamid.R1'))).toBe(true);
    await repo.finishTrigger('wamid.R1', { state: 'refused', errorCode: 'not_published' });
    expect(await repo.claimTrigger(trigger('wamid.R1'), { staleAfterMs: 0 })).toBe(false);
    expect((await repo.getTrigger('wamid.R1'))?.errorCode).toBe('not_published');
  });

  it('grants a claim again after a transient failure, to one of several claimers', async () => {
    expect(await repo.claimTrigger(trigger('wamid.F1'))).toBe(true);
    await repo.finishTrigger('wamid.F1', { state: 'failed', errorCode: 'graph_error' });
    const claims = await Promise.all(Array.from({ length: 4 }, () => repo.claimTrigger(trigger('wamid.F1'))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.getTrigger('wamid.F1')).toMatchObject({ state: 'sending', attempts: 2 });
  });

  it('takes over a claim whose processor went silent for longer than the stale limit', async () => {
    expect(await repo.claimTrigger(trigger('wamid.D1'))).toBe(true);
    clock = new Date(clock.getTime() + 60_000);
    expect(await repo.claimTrigger(trigger('wamid.D1'), { staleAfterMs: 120_000 })).toBe(false);
    clock = new Date(clock.getTime() + 120_000);
    expect(await repo.claimTrigger(trigger('wamid.D1'), { staleAfterMs: 120_000 })).toBe(true);
    expect((await repo.getTrigger('wamid.D1'))?.attempts).toBe(2);
  });

  it('stores one attribution per flow_token and lists them by ad and flow, newest first', async () => {
    const ad = { flowToken: 'tok-ad-1', flowId: 'booking', entry: 'ad' as const, waId: '15550002222', inboundMessageId: 'wamid.A1', adId: '120200000', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ', sourceType: 'ad', sourceUrl: 'https://fb.me/abc', headline: 'Book\u0000 now' };
    expect(await repo.recordAttribution(ad)).toBe(true);
    expect(await repo.recordAttribution({ ...ad, adId: 'other' })).toBe(false);
    clock = new Date(clock.getTime() + 1000);
    expect(await repo.recordAttribution({ flowToken: 'tok-kw-1', flowId: 'booking', entry: 'keyword', waId: '15550002222', inboundMessageId: 'wamid.K1', keyword: 'BOOK' })).toBe(true);

    expect(await repo.getAttribution('tok-ad-1')).toMatchObject({ adId: '120200000', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ', sourceType: 'ad', sourceUrl: 'https://fb.me/abc', headline: 'Book\uFFFD now', entry: 'ad', keyword: undefined });
    expect((await repo.listAttributions({ adId: '120200000' })).map((a) => a.flowToken)).toEqual(['tok-ad-1']);
    expect((await repo.listAttributions({ flowId: 'booking' })).map((a) => a.flowToken)).toEqual(['tok-kw-1', 'tok-ad-1']);
    expect(await repo.getAttribution('missing')).toBeUndefined();
  });
});
