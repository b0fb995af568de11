/**
 * The broadcast runner over the real sender (flow-sender-impl.ts: sessions,
 * `sends` with the idempotency key, the 24-hour window) and the Graph
 * emulator: a runner that dies after the sender recorded its sends but
 * before the broadcast did is resumed by another, and nobody is messaged
 * twice; progress follows the sessions the sender issued.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroadcastRunner } from '../../../src/services/broadcast/broadcast-runner.js';
import { createBroadcastService } from '../../../src/services/broadcast/broadcast-service.js';
import type { Clock } from '../../../src/services/broadcast/rate-limiter.js';
import { createFlowCatalogue } from '../../../src/services/flow-catalogue.js';
import type { FlowSender } from '../../../src/services/flow-sender.js';
import { createRecipientRepo } from '../../../src/store/repos/broadcast-recipient-repo.js';
import { createBroadcastRepo } from '../../../src/store/repos/broadcast-repo.js';
import { startSendKit, type SendKit } from '../../sends/send-kit.js';
import { contactsCsv } from './broadcast-kit.js';

/** `target` whose every method rejects once `dead()` is true: a process that is gone. */
function dying<T extends object>(target: T, dead: () => boolean): T {
  return new Proxy(target, {
    get: (obj, key) => {
      const value = Reflect.get(obj, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead() ? Promise.reject(new Error('process gone')) : (value as (...a: unknown[]) => unknown).apply(obj, args));
    },
  });
}

describe.each(['sqlite', 'postgres'] as const)('broadcast over the real sender on %s', (dialect) => {
  let kit: SendKit;
  afterEach(async () => {
    await kit.close();
  }, 60_000);

  it('resumes after a crash between the sender\'s record and the broadcast\'s: each person one message, one session', async () => {
    kit = await startSendKit(dialect, { mps: 1000 });
    const clock: Clock = { now: () => kit.now().getTime(), sleep: async (ms) => { kit.advance(ms); await new Promise((r) => setImmediate(r)); } };
    const broadcasts = createBroadcastRepo(kit.db.store.db, { now: () => kit.now() });
    const recipients = createRecipientRepo(kit.db.store.db, { now: () => kit.now() });
    const service = createBroadcastService({ db: kit.db.store.db, broadcasts, recipients, catalogue: createFlowCatalogue([kit.flow()]), defaultRate: 500 });
    const { broadcast } = await service.create({ flowId: 'signup', csv: contactsCsv(60) });
    await service.start(broadcast.id);
    const real = kit.sender();

    let crashed = false;
    let sends = 0;
    const senderA: FlowSender = {
      async send(input) {
        if (crashed) return new Promise(() => undefined);
        const result = await real.send(input);
        if (++sends === 25) crashed = true;
        return result;
      },
    };
    const runA = createBroadcastRunner({ broadcasts: dying(broadcasts, () => crashed), recipients: dying(recipients, () => crashed), sender: senderA, clock, leaseMs: 5000, checkMs: 1_000_000 });
    void runA.run(broadcast.id).catch(() => undefined);
    await vi.waitFor(() => expect(crashed).toBe(true));
    const sentByA = kit.h.emulator.state.messages.length;
    expect(sentByA).toBeGreaterThanOrEqual(25);
    expect((await service.status(broadcast.id)).counters.sent).toBe(0); // A recorded nothing

    kit.advance(5001);
    expect(await createBroadcastRunner({ broadcasts, recipients, sender: real, clock }).run(broadcast.id)).toBe('done');
    const perWaId = new Map<string, number>();
    for (const m of kit.h.emulator.state.messages) perWaId.set(m.waId, (perWaId.get(m.waId) ?? 0) + 1);
    expect(perWaId.size).toBe(60);
    expect([...perWaId.values()].every((n) => n === 1)).toBe(true);
    expect(kit.h.emulator.state.messages.every((m) => m.type === 'template')).toBe(true);

    const sessions = await kit.db.store.db.selectFrom('flow_sessions').select(['flow_token', 'campaign', 'entry_point']).execute();
    expect(sessions).toHaveLength(60);
    expect(sessions.every((s) => s.campaign === broadcast.id && s.entry_point === 'broadcast')).toBe(true);
    await kit.sessionRepo.recordScreen(sessions[0]!.flow_token, 'WELCOME');
    await kit.sessionRepo.completeSession(sessions[1]!.flow_token, '{"flow_token":"x"}');
    expect((await service.status(broadcast.id)).counters).toMatchObject({ total: 60, sent: 60, queued: 0, opened: 2, completed: 1 });
  });
});
