import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createConversationRepo, type ConversationRepo } from './conversation-repo.js';
import { createPublishedFlowRepo, type PublishedFlowRepo } from './published-flow-repo.js';
import { createSendRepo, type NewSend, type SendRepo } from './send-repo.js';

describe.each(['sqlite', 'postgres'] as const)('messaging repos on %s', (dialect) => {
  let test: TestDatabase;
  let conversations: ConversationRepo;
  let sends: SendRepo;
  let published: PublishedFlowRepo;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    conversations = createConversationRepo(test.store.db);
    sends = createSendRepo(test.store.db);
    published = createPublishedFlowRepo(test.store.db);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('keeps the latest inbound message per contact, whatever the arrival order', async () => {
    await conversations.recordInbound({ waId: '31600000001', messageId: 'm2', at: new Date('2026-01-02T00:00:00Z') });
    await conversations.recordInbound({ waId: '31600000001', messageId: 'm1', at: new Date('2026-01-01T00:00:00Z') });
    await conversations.recordInbound({ waId: '31600000001', messageId: 'm2', at: new Date('2026-01-02T00:00:00Z') });
    expect(await conversations.get('31600000001')).toEqual({ waId: '31600000001', lastInboundAt: new Date('2026-01-02T00:00:00Z'), lastMessageId: 'm2' });
    await conversations.recordInbound({ waId: '31600000001', messageId: 'm3', at: new Date('2026-01-03T00:00:00Z') });
    expect((await conversations.get('31600000001'))?.lastMessageId).toBe('m3');
    expect(await conversations.get('31600000009')).toBeUndefined();
  });

  const newSend = (key?: string): NewSend => ({ flowId: 'f', flowToken: `t-${Math.random()}`, recipient: '+31 6', waId: '316', kind: 'interactive', entry: 'api', idempotencyKey: key });

  it('claims a key once under concurrency; sends without a key never conflict', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => sends.claim(newSend('k1'))));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const winner = results.find((r) => r.claimed);
    for (const r of results) if (!r.claimed) expect(r.existing.id).toBe(winner?.claimed && winner.send.id);
    const free = await Promise.all([sends.claim(newSend()), sends.claim(newSend())]);
    expect(free.every((r) => r.claimed)).toBe(true);
  });

  it('moves a send through failed → reclaimed once → sent, findable by key and wamid', async () => {
    const claim = await sends.claim(newSend('k2'));
    if (!claim.claimed) throw new Error('not claimed');
    await sends.markFailed(claim.send.id, 'failed', { code: '130429', message: 'rate\u0000limit' });
    expect(await sends.findByKey('k2')).toMatchObject({ state: 'failed', errorCode: '130429', error: 'rate\uFFFDlimit' });
    const again = await Promise.all([sends.reclaim(claim.send.id, 'template'), sends.reclaim(claim.send.id, 'template')]);
    expect(again.filter(Boolean)).toHaveLength(1);
    await sends.markSent(claim.send.id, { wamid: 'wamid.X', waId: '316', kind: 'template' });
    expect(await sends.findByWamid('wamid.X')).toMatchObject({ id: claim.send.id, state: 'sent', kind: 'template', attempts: 2, errorCode: null });
    expect(await sends.reclaim(claim.send.id, 'template')).toBe(false);
  });

  it('saves and replaces the published-flow record', async () => {
    await published.save({ flowId: 'signup', name: 'signup', wabaId: '1', metaFlowId: '10', liveMetaFlowId: undefined, contentHash: 'a', status: 'DRAFT' });
    expect(await published.get('signup')).toMatchObject({ metaFlowId: '10', liveMetaFlowId: undefined, publishedAt: undefined });
    const at = new Date('2026-02-01T00:00:00Z');
    await published.save({ flowId: 'signup', name: 'signup', wabaId: '1', metaFlowId: '11', liveMetaFlowId: '11', contentHash: undefined, status: 'PUBLISHED', publishedAt: at });
    expect(await published.get('signup')).toEqual({ flowId: 'signup', name: 'signup', wabaId: '1', metaFlowId: '11', liveMetaFlowId: '11', contentHash: undefined, status: 'PUBLISHED', publishedAt: at });
  });
});
