import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createMessageStatusRepo, type MessageStatusRepo } from './message-status-repo.js';

describe.each(['sqlite', 'postgres'] as const)('message status repo on %s', (dialect) => {
  let test: TestDatabase;
  let repo: MessageStatusRepo;
  let clock = new Date('2026-05-01T00:00:00.000Z');

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createMessageStatusRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('stores each status of a message once and lists them in arrival order', async () => {
    for (const status of ['sent', 'delivered', 'read']) {
      expect(await repo.recordStatus({ messageId: 'wamid.M1', status, occurredAt: new Date('2026-04-30T00:00:00.000Z') })).toBe(true);
      clock = new Date(clock.getTime() + 1000);
    }
    expect(await repo.recordStatus({ messageId: 'wamid.M1', status: 'read' })).toBe(false);
    const listed = await repo.listStatuses('wamid.M1');
    expect(listed.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(listed[0]?.occurredAt).toEqual(new Date('2026-04-30T00:00:00.000Z'));
  });

  it('keeps the error code, errors, pricing and conversation of a failure', async () => {
    const errors = [{ code: 131026, title: 'Message undeliverable' }];
    await repo.recordStatus({ messageId: 'wamid.M2', status: 'failed', errorCode: 131026, errors, pricing: { billable: false }, conversation: { id: 'c' }, recipientId: '15550100' });
    const [failed] = await repo.listStatuses('wamid.M2');
    expect(failed).toMatchObject({ errorCode: 131026, recipientId: '15550100', conversationJson: '{"id":"c"}', pricingJson: '{"billable":false}' });
    expect(JSON.parse(failed?.errorsJson ?? 'null')).toEqual(errors);
  });

  it('stores exactly one row per (message, status) under concurrent redeliveries, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('sent', 'read', 'x\u0000y'), async (suffix, status) => {
        const messageId = `wamid.${suffix}.${Math.random()}`;
        const results = await Promise.all(Array.from({ length: 4 }, () => repo.recordStatus({ messageId, status })));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await repo.listStatuses(messageId)).toHaveLength(1);
      }),
      { numRuns: 20 },
    );
  });
});
