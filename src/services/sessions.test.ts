import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { migrateToLatest } from '../store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../store/open-test-database.js';
import { createSessionRepo } from '../store/repos/session-repo.js';
import { createSessionService, MAX_FLOW_TOKEN_LENGTH, type SessionService, type SessionStore } from './sessions.js';

let test: TestDatabase;
let clock = Date.now();
let service: SessionService;

beforeAll(async () => {
  test = await openTestDatabase('sqlite');
  await migrateToLatest(test.store);
  service = createSessionService(createSessionRepo(test.store.db), { now: () => clock });
});
afterAll(async () => test.cleanup());

describe('session service', () => {
  it('issues unguessable tokens bound to flow, form, contact, campaign, entry point and expiry', async () => {
    const s = await service.issue({ flowId: 'f1', formId: 'form-9', contactPhone: '447700900123', campaign: 'spring', entryPoint: 'qr', ttlMs: 60_000 });
    expect(s.flowToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(s).toMatchObject({ flowId: 'f1', formId: 'form-9', contactPhone: '447700900123', campaign: 'spring', entryPoint: 'qr', status: 'open' });
    expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(60_000);
    const others = await Promise.all(Array.from({ length: 20 }, () => service.issue({ flowId: 'f1', contactPhone: '447700900123' })));
    expect(new Set([s.flowToken, ...others.map((o) => o.flowToken)]).size).toBe(21);
    expect(await service.check(s.flowToken)).toMatchObject({ ok: true, session: { flowToken: s.flowToken } });
  });

  it.each([
    [{ flowId: '', contactPhone: '15551234567' }, /flowId/],
    [{ flowId: 'f', contactPhone: '+1 555' }, /contactPhone/],
    [{ flowId: 'f', contactPhone: '15551234567', ttlMs: 0 }, /ttlMs/],
    [{ flowId: 'f', contactPhone: '15551234567', ttlMs: 1.5 }, /ttlMs/],
  ])('refuses to issue %j', async (input, message) => {
    await expect(service.issue(input)).rejects.toSatisfy((e: unknown) => isAppError(e, 'USAGE_INVALID') && message.test(e.message));
  });

  it('refuses unknown, missing, oversize, expired and completed tokens with the reason', async () => {
    expect(await service.check('no-such-token')).toEqual({ ok: false, reason: 'unknown' });
    expect(await service.check(undefined)).toEqual({ ok: false, reason: 'unknown' });
    expect(await service.check('x'.repeat(MAX_FLOW_TOKEN_LENGTH + 1))).toEqual({ ok: false, reason: 'unknown' });
    const s = await service.issue({ flowId: 'f', contactPhone: '15551234567', ttlMs: 1000 });
    const saved = clock;
    clock = s.expiresAt.getTime() - 1;
    expect((await service.check(s.flowToken)).ok).toBe(true);
    clock = s.expiresAt.getTime();
    expect(await service.check(s.flowToken)).toEqual({ ok: false, reason: 'expired' });
    clock = saved;
    const done = await service.issue({ flowId: 'f', contactPhone: '15551234567' });
    expect(await service.complete(done.flowToken, '{"flow_token":"x"}')).toMatchObject({ created: true });
    expect(await service.check(done.flowToken)).toEqual({ ok: false, reason: 'completed' });
  });

  it('completes exactly once, even with concurrent and repeated completions', async () => {
    const s = await service.issue({ flowId: 'f', contactPhone: '15551234567' });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => service.complete(s.flowToken, `{"n":${i}}`)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created).every((r) => !r.created && r.reason === 'duplicate')).toBe(true);
    expect(await service.complete('never-issued', '{}')).toEqual({ created: false, reason: 'unknown_token' });
  });

  it('uses its own clock even when the store still reports the session open', async () => {
    const expiresAt = new Date(clock + 10);
    const store: SessionStore = {
      createSession: () => Promise.reject(new Error('unused')),
      getSession: (flowToken) => Promise.resolve({
        flowToken, flowId: 'f', formId: null, contactPhone: '1', entryPoint: null, campaign: null, status: 'open',
        createdAt: new Date(clock), expiresAt, completedAt: null, lastScreen: null,
      }),
      recordScreen: () => Promise.resolve(),
      completeSession: () => Promise.resolve({ created: false, reason: 'duplicate' }),
    };
    let now = clock;
    const local = createSessionService(store, { now: () => now });
    expect((await local.check('t')).ok).toBe(true);
    now = expiresAt.getTime();
    expect(await local.check('t')).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('batched last-screen writes', () => {
  type Batch = ReadonlyArray<readonly [string, string]>;
  function store(over: Partial<SessionStore> = {}): SessionStore & { batches: Batch[]; singles: string[][] } {
    const batches: Batch[] = [];
    const singles: string[][] = [];
    return {
      batches, singles,
      createSession: () => Promise.reject(new Error('unused')),
      getSession: () => Promise.resolve(undefined),
      recordScreen: (t, s) => { singles.push([t, s]); return Promise.resolve(); },
      recordScreens: (entries) => { batches.push([...entries]); return Promise.resolve(); },
      completeSession: () => Promise.reject(new Error('unused')),
      ...over,
    };
  }

  it('screens recorded in one turn are written together, the last one per session winning', async () => {
    const s = store();
    const service = createSessionService(s, { screenBatchMs: 60_000 });
    const writes = [service.recordScreen('a', 'ONE'), service.recordScreen('b', 'X'), service.recordScreen('a', 'TWO')];
    expect(s.batches).toEqual([]);
    await Promise.all(writes);
    expect(s.batches).toEqual([[['b', 'X'], ['a', 'TWO']]]);
    // Within the interval the next batch waits; flush() writes it at once (shutdown).
    const later = service.recordScreen('c', 'THREE');
    await new Promise((r) => setImmediate(r));
    expect(s.batches).toHaveLength(1);
    await service.flush?.();
    await later;
    expect(s.batches).toEqual([[['b', 'X'], ['a', 'TWO']], [['c', 'THREE']]]);
    await service.flush?.();
    expect(s.batches).toHaveLength(2);
  });

  it('a failed batch rejects every caller of that batch, and the next batch is tried afresh', async () => {
    let fail = true;
    const s = store({ recordScreens: () => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve()) });
    const service = createSessionService(s, { screenBatchMs: 1 });
    const results = await Promise.allSettled([service.recordScreen('a', 'A'), service.recordScreen('b', 'B')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(service.recordScreen('a', 'A2')).resolves.toBeUndefined();
  });

  it('without a batch method, or with screenBatchMs 0, each screen is written on its own', async () => {
    const { recordScreens: _none, ...plain } = store();
    const service = createSessionService(plain, {});
    await Promise.all([service.recordScreen('a', 'A'), service.recordScreen('b', 'B')]);
    expect(plain.singles).toEqual([['a', 'A'], ['b', 'B']]);
    const direct = store();
    await createSessionService(direct, { screenBatchMs: 0 }).recordScreen('c', 'C');
    expect(direct.singles).toEqual([['c', 'C']]);
    expect(direct.batches).toEqual([]);
    expect(() => createSessionService(direct, { screenBatchMs: -1 })).toThrow(RangeError);
  });
});
