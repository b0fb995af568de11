import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { migrateToLatest } from '../migrate.js';
import { openTestDatabase, type TestDatabase } from '../open-test-database.js';
import { createSessionRepo, newFlowToken, type CompletionHook, type SessionRepo } from './session-repo.js';

describe('newFlowToken', () => {
  it('makes distinct 256-bit base64url tokens', () => {
    const tokens = Array.from({ length: 500 }, newFlowToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('session repo on %s', (dialect) => {
  let test: TestDatabase;
  let clock = new Date('2026-01-01T00:00:00.000Z');
  let repo: SessionRepo;

  beforeAll(async () => {
    test = await openTestDatabase(dialect);
    await migrateToLatest(test.store);
    repo = createSessionRepo(test.store.db, { now: () => clock });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('recordScreens writes a batch in one go and leaves completed and unknown sessions alone', async () => {
    const a = await repo.createSession({ flowId: 'f', contactPhone: '15550000001' });
    const b = await repo.createSession({ flowId: 'f', contactPhone: '15550000002' });
    const done = await repo.createSession({ flowId: 'f', contactPhone: '15550000003' });
    await repo.recordScreen(done.flowToken, 'BEFORE');
    expect((await repo.completeSession(done.flowToken, '{}')).created).toBe(true);
    await repo.recordScreens([[a.flowToken, 'ONE'], [b.flowToken, 'TWO'], [done.flowToken, 'AFTER'], ['no-such-token', 'X']]);
    await repo.recordScreens([]);
    expect((await repo.getSession(a.flowToken))?.lastScreen).toBe('ONE');
    expect((await repo.getSession(b.flowToken))?.lastScreen).toBe('TWO');
    expect((await repo.getSession(done.flowToken))?.lastScreen).toBe('BEFORE');
    expect(await repo.getSession('no-such-token')).toBeUndefined();
  });

  it('recordScreens keeps the last screen of a token given twice, and writes batches larger than one statement', async () => {
    const a = await repo.createSession({ flowId: 'f', contactPhone: '15550000004' });
    const b = await repo.createSession({ flowId: 'f', contactPhone: '15550000005' });
    await repo.recordScreens([[a.flowToken, 'FIRST'], [b.flowToken, 'B'], [a.flowToken, 'SECOND']]);
    expect((await repo.getSession(a.flowToken))?.lastScreen).toBe('SECOND');
    expect((await repo.getSession(b.flowToken))?.lastScreen).toBe('B');
    // 1200 entries: three statements (500 per statement) in one transaction; the real sessions sit in the last chunk.
    const filler = Array.from({ length: 1198 }, (_, i) => [`unknown-${i}`, 'X'] as const);
    await repo.recordScreens([...filler, [a.flowToken, "it's \"quoted\""], [b.flowToken, 'ÉCRAN_2']]);
    expect((await repo.getSession(a.flowToken))?.lastScreen).toBe("it's \"quoted\"");
    expect((await repo.getSession(b.flowToken))?.lastScreen).toBe('ÉCRAN_2');
  });

  it('creates, reads, records the screen and completes a session once', async () => {
    clock = new Date('2026-01-01T00:00:00.000Z');
    const session = await repo.createSession({ flowId: '123', formId: 'form-1', contactPhone: '972987654321', campaign: 'spring', ttlMs: 60_000 });
    expect(session).toMatchObject({ flowId: '123', formId: 'form-1', entryPoint: null, campaign: 'spring', status: 'open', lastScreen: null });
    expect(session.expiresAt.toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(await repo.getSession(session.flowToken)).toEqual(session);

    await repo.recordScreen(session.flowToken, 'SIGN_UP');
    expect((await repo.getSession(session.flowToken))?.lastScreen).toBe('SIGN_UP');

    clock = new Date('2026-01-01T00:00:30.000Z');
    const response = '{"flow_token":"x","name":"Ann \u00e9\u{1F600}"}';
    const first = await repo.completeSession(session.flowToken, response);
    expect(first.created).toBe(true);
    const completedAt = clock;
    clock = new Date('2026-01-01T00:00:40.000Z');
    expect(await repo.completeSession(session.flowToken, '{"retry":true}')).toEqual({ created: false, reason: 'duplicate' });

    const done = await repo.getSession(session.flowToken);
    expect(done).toMatchObject({ status: 'completed', completedAt });
    const submission = await repo.getSubmission(session.flowToken);
    expect(submission).toMatchObject({ flowToken: session.flowToken, responseJson: response, createdAt: completedAt });
    expect(first.created && first.submissionId).toBe(submission?.id);

    await repo.recordScreen(session.flowToken, 'LATER');
    expect((await repo.getSession(session.flowToken))?.lastScreen).toBe('SIGN_UP');
  });

  it('reports an unknown token without storing anything', async () => {
    expect(await repo.getSession('nope')).toBeUndefined();
    expect(await repo.completeSession('nope', '{}')).toEqual({ created: false, reason: 'unknown_token' });
    expect(await repo.getSubmission('nope')).toBeUndefined();
  });

  it('reports a session past its expiry as expired, sweeps it, and still accepts its completion', async () => {
    clock = new Date('2026-02-01T00:00:00.000Z');
    const short = await repo.createSession({ flowId: 'f', contactPhone: '1', ttlMs: 1000 });
    const long = await repo.createSession({ flowId: 'f', contactPhone: '1', ttlMs: 10_000 });
    clock = new Date('2026-02-01T00:00:01.000Z');
    expect((await repo.getSession(short.flowToken))?.status).toBe('expired');
    expect((await repo.getSession(long.flowToken))?.status).toBe('open');
    expect(await repo.expireSessions()).toBeGreaterThanOrEqual(1);
    expect(await repo.expireSessions()).toBe(0);
    expect((await repo.getSession(long.flowToken))?.status).toBe('open');
    expect((await repo.completeSession(short.flowToken, '{}')).created).toBe(true);
    expect((await repo.getSession(short.flowToken))?.status).toBe('completed');
  });

  it('completes exactly once under 20 concurrent calls for one token', async () => {
    const session = await repo.createSession({ flowId: 'f', contactPhone: '1' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repo.completeSession(session.flowToken, `{"attempt":${i}}`)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created && r.reason === 'duplicate')).toHaveLength(19);
    const rows = await test.store.db.selectFrom('submissions').selectAll().where('flow_token', '=', session.flowToken).execute();
    expect(rows).toHaveLength(1);
  });

  it('group-commits concurrent completions: fewer transactions than completions, each answered with its own result', async () => {
    const sessions = await Promise.all(Array.from({ length: 12 }, () => repo.createSession({ flowId: 'f', contactPhone: '3' })));
    const transactions = new Set<unknown>();
    const seen = new Map<string, string>();
    const results = await Promise.all(sessions.map((s) => repo.completeSession(s.flowToken, '{}', (trx, completed) => {
      transactions.add(trx);
      for (const c of completed) seen.set(c.flowToken, c.submissionId);
      return Promise.resolve();
    })));
    expect(transactions.size).toBeLessThan(sessions.length);
    for (const [i, s] of sessions.entries()) {
      const result = results[i]!;
      expect(result.created && result.submissionId).toBe(seen.get(s.flowToken));
      expect((await repo.getSubmission(s.flowToken))?.id).toBe(seen.get(s.flowToken));
    }
  });

  it('group-commits concurrent completions: a hook that throws fails only its own completion', async () => {
    const sessions = await Promise.all(Array.from({ length: 12 }, () => repo.createSession({ flowId: 'f', contactPhone: '3' })));
    const bad = sessions[5]!.flowToken;
    const hook: CompletionHook = async (trx, completed) => {
      for (const c of completed) {
        await trx.updateTable('flow_sessions').set({ last_screen: 'HOOKED' }).where('flow_token', '=', c.flowToken).execute();
        if (c.flowToken === bad) throw new Error('hook refused');
      }
    };
    const results = await Promise.allSettled(sessions.map((s) => repo.completeSession(s.flowToken, '{"ok":1}', hook)));
    expect(results.map((r) => r.status)).toEqual(sessions.map((s) => (s.flowToken === bad ? 'rejected' : 'fulfilled')));
    for (const s of sessions) {
      // The failed one left nothing, not even its hook's write; the others have their submission and the hook's write.
      expect(Boolean(await repo.getSubmission(s.flowToken))).toBe(s.flowToken !== bad);
      const session = await repo.getSession(s.flowToken);
      expect([session?.status, session?.lastScreen]).toEqual(s.flowToken === bad ? ['open', null] : ['completed', 'HOOKED']);
    }
  });

  it('keeps exactly-once for any mix of sessions and repeated completions', async () => {
    await fc.assert(
      // Pick 5 is a token no session has: concurrent calls share group-committed batches, unknown ones included.
      fc.asyncProperty(fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 15 }), async (picks) => {
        const sessions = await Promise.all(Array.from({ length: 5 }, () => repo.createSession({ flowId: 'f', contactPhone: '2' })));
        const unknown = newFlowToken();
        const results = await Promise.all(picks.map((p) => repo.completeSession(sessions[p]?.flowToken ?? unknown, `{"pick":${p}}`)));
        const distinct = new Set(picks.filter((p) => p < 5));
        expect(results.filter((r) => r.created)).toHaveLength(distinct.size);
        picks.forEach((p, i) => {
          if (p === 5) expect(results[i]).toEqual({ created: false, reason: 'unknown_token' });
          else if (!results[i]!.created) expect(results[i]).toEqual({ created: false, reason: 'duplicate' });
        });
        for (const p of distinct) {
          const winners = picks.flatMap((q, j) => (q === p && results[j]!.created ? [results[j]] : []));
          expect(winners).toHaveLength(1);
          expect((await repo.getSubmission(sessions[p]!.flowToken))?.responseJson).toBe(`{"pick":${p}}`);
        }
        for (const [i, s] of sessions.entries()) {
          expect(Boolean(await repo.getSubmission(s.flowToken))).toBe(distinct.has(i));
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe('session repo on postgres, two server instances', () => {
  it('completes exactly once when 20 calls are spread over two pools', async () => {
    const test = await openTestDatabase('postgres');
    try {
      await migrateToLatest(test.store);
      const repos = [createSessionRepo(test.store.db), createSessionRepo(test.reopen().db)];
      const session = await repos[0]!.createSession({ flowId: 'f', contactPhone: '1' });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => repos[i % 2]!.completeSession(session.flowToken, '{}')));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const { count } = await test.store.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
      expect(Number(count)).toBe(1);
    } finally {
      await test.cleanup();
    }
  });
});
