import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FlowSender } from '../../../src/services/flow-sender.js';
import { broadcastDb } from '../../../src/store/repos/broadcast-tables.js';
import { contactsCsv, graphTemplateSender, startBroadcastEmulator, type BroadcastEmulator } from './broadcast-kit.js';
import { broadcastStack, surveyFlow, type BroadcastStack } from './broadcast-setup.js';

describe.each(['sqlite', 'postgres'] as const)('broadcast runner on %s', (dialect) => {
  let stack: BroadcastStack;
  let emu: BroadcastEmulator;
  beforeAll(async () => {
    stack = await broadcastStack(dialect, surveyFlow('placeholder'));
  }, 60_000);
  afterAll(async () => {
    await stack.cleanup();
  }, 60_000);
  afterEach(async () => {
    await emu.close();
  });

  async function setUp(emulatorMps: number) {
    emu = await startBroadcastEmulator(stack.clock, { mps: emulatorMps });
  }

  const expectEachOnce = (count: number) => {
    const counts = emu.countsByWaId();
    expect(counts.size).toBe(count);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  };

  it('sends each recipient exactly one template message, never more than the rate in any second, and finishes', async () => {
    await setUp(50);
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(120), rate: 50 });
    await stack.service.start(broadcast.id);
    expect(await stack.runner(sender).run(broadcast.id)).toBe('done');
    expectEachOnce(120);
    expect(emu.largestBurst()).toBeLessThanOrEqual(50);
    expect(sender.graphCodes).toEqual([]);
    expect(sender.calls.every((c) => c.entry === 'broadcast' && c.campaign === broadcast.id && c.mode === 'template' && c.flowId === 'survey')).toBe(true);
    const status = await stack.service.status(broadcast.id);
    expect(status.broadcast.state).toBe('done');
    expect(status.counters).toMatchObject({ total: 120, queued: 0, sent: 120, failed: 0 });
  });

  it('fails a recipient whose stored parameters cannot be read, once, without sending to it, and sends the others', async () => {
    await setUp(50);
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(3), rate: 50 });
    const [broken] = await stack.recipients.list(broadcast.id, 'pending', 1);
    await broadcastDb(stack.test.store.db).updateTable('broadcast_recipients').set({ vars_json: JSON.stringify({ 'BODY PARAMETERS': 'not json' }) }).where('id', '=', broken!.id).execute();
    await stack.service.start(broadcast.id);
    expect(await stack.runner(sender).run(broadcast.id)).toBe('done');
    expect(sender.calls.map((c) => c.to)).not.toContain(broken!.waId);
    expect(sender.calls).toHaveLength(2);
    const status = await stack.service.status(broadcast.id);
    expect(status.counters).toMatchObject({ total: 3, sent: 2, failed: 1 });
    expect(status.failures).toMatchObject([{ waId: broken!.waId, errorCode: 'bad_parameters' }]);
    expect(status.failures[0]!.error).toMatch(/stored template body parameters cannot be read/);
  });

  it('slows down on 130429 and still sends everyone exactly once', async () => {
    await setUp(10);
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(40), rate: 40 });
    await stack.service.start(broadcast.id);
    expect(await stack.runner(sender).run(broadcast.id)).toBe('done');
    expect(sender.graphCodes.filter((c) => c === 130429).length).toBeGreaterThan(0);
    expectEachOnce(40);
    expect(emu.largestBurst()).toBeLessThanOrEqual(10);
    expect((await stack.service.status(broadcast.id)).counters.sent).toBe(40);
  });

  it('defers only the recipient hit by the pair rate limit (131056) and sends it after the wait', async () => {
    await setUp(80);
    emu.emulator.receiveInbound('31610000003');
    await emu.graph.sendText('31610000003', 'hello'); // the pair limit allows one message per 6 s
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(8), rate: 80 });
    await stack.service.start(broadcast.id);
    expect(await stack.runner(sender).run(broadcast.id)).toBe('done');
    expect(sender.graphCodes).toEqual([131056]);
    const toHit = emu.emulator.state.messages.filter((m) => m.waId === '31610000003');
    expect(toHit.map((m) => m.type)).toEqual(['text', 'template']);
    expect(toHit[1]!.at - toHit[0]!.at).toBeGreaterThanOrEqual(6000);
    const others = emu.emulator.state.messages.filter((m) => m.type === 'template' && m.waId !== '31610000003');
    expect(others).toHaveLength(7);
    expect(Math.max(...others.map((m) => m.at))).toBeLessThan(toHit[1]!.at);
  });

  it('resumes after an abrupt stop mid-broadcast: nobody gets a second message and nobody is skipped', async () => {
    await setUp(1000);
    const real = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(150), rate: 500 });
    await stack.service.start(broadcast.id);
    // process A: its 40th send reaches Meta, then the process dies before anything else is recorded
    const other = stack.test.reopen();
    let sends = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => { crashed = resolve; });
    const dying: FlowSender = {
      async send(input) {
        const n = ++sends;
        if (n > 40) return new Promise(() => undefined);
        const result = await real.send(input);
        if (n === 40) {
          crashed();
          return new Promise(() => undefined);
        }
        return result;
      },
    };
    const runA = stack.runner(dying, { ...stack.reposOn(other), leaseMs: 5000, checkMs: 1_000_000 }).run(broadcast.id).catch(() => 'crashed');
    await crash;
    await other.close(); // the process is gone: nothing more reaches the database
    void runA;
    await vi.waitFor(() => expect(emu.emulator.state.messages).toHaveLength(40));
    expect((await stack.service.status(broadcast.id)).counters.sent).toBeLessThan(40);

    const runnerB = stack.runner(real, { leaseMs: 5000 });
    expect(await runnerB.run(broadcast.id)).toBe('lease_held'); // A's lease still holds
    stack.clock.advance(5001);
    expect(await runnerB.run(broadcast.id)).toBe('done');
    expectEachOnce(150);
    expect(real.calls.filter((c) => c.idempotencyKey !== undefined).length).toBeGreaterThan(150); // B re-sent A's unrecorded ones by key
    expect((await stack.service.status(broadcast.id)).counters).toMatchObject({ sent: 150, queued: 0 });
  });

  it('pauses, resumes and cancels: sends stop at once, resume continues without repeats, cancel skips the rest', async () => {
    await setUp(100);
    const real = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(90), rate: 20 });
    await stack.service.start(broadcast.id);
    let sent = 0;
    let resumedFrom: number | undefined = undefined;
    // No wall-clock bounds: the pause and cancel points follow the sends, however slow the machine is.
    const pausing: FlowSender = {
      async send(input) {
        const r = await real.send(input);
        if (++sent === 25) await stack.service.pause(broadcast.id);
        if (resumedFrom !== undefined && sent === resumedFrom + 10) await stack.service.cancel(broadcast.id);
        return r;
      },
    };
    const runner = stack.runner(pausing, { checkMs: 50 });
    expect(await runner.run(broadcast.id)).toBe('paused');
    const atPause = emu.emulator.state.messages.length;
    expect(atPause).toBeGreaterThanOrEqual(25);
    expect(atPause).toBeLessThan(90);
    expect((await stack.service.status(broadcast.id)).counters.queued).toBe(90 - atPause);
    expect(await runner.run(broadcast.id)).toBe('paused'); // paused: nothing is sent
    expect(emu.emulator.state.messages).toHaveLength(atPause);

    resumedFrom = sent;
    await stack.service.resume(broadcast.id);
    const end = await runner.run(broadcast.id);
    const atCancel = emu.emulator.state.messages.length;
    expect(atCancel).toBeGreaterThanOrEqual(atPause + 10);
    if (end === 'cancelled') {
      expectEachOnce(atCancel);
      const status = await stack.service.status(broadcast.id);
      expect(status.counters).toMatchObject({ sent: atCancel, skipped: 90 - atCancel, queued: 0 });
      await expect(stack.service.resume(broadcast.id)).rejects.toThrow(/cancelled; it cannot be resumed/);
    } else {
      // Only when every remaining message went out before the cancel was seen (a very slow machine).
      expect(end).toBe('done');
      expectEachOnce(90);
    }
  });

  it('pauses the whole broadcast with a clear error when the template is not approved, failing nobody', async () => {
    await setUp(80);
    emu.emulator.setTemplateStatus(emu.templateId, 'PAUSED');
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(30), rate: 80 });
    await stack.service.start(broadcast.id);
    expect(await stack.runner(sender).run(broadcast.id)).toBe('paused');
    const status = await stack.service.status(broadcast.id);
    expect(status.broadcast.error).toMatch(/132015.*paused/i);
    expect(status.counters).toMatchObject({ queued: 30, failed: 0, sent: 0 });
    emu.emulator.setTemplateStatus(emu.templateId, 'APPROVED');
    await stack.service.resume(broadcast.id);
    expect((await stack.service.status(broadcast.id)).broadcast.error).toBeNull();
    expect(await stack.runner(sender).run(broadcast.id)).toBe('done');
    expectEachOnce(30);
  });

  it('re-sends with the same key when the sender throws after Meta accepted (outcome unknown to the runner): one message each', async () => {
    await setUp(100);
    const real = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(12), rate: 100 });
    await stack.service.start(broadcast.id);
    const thrownFor = new Set<string>();
    const flaky: FlowSender = {
      async send(input) {
        const result = await real.send(input);
        if (thrownFor.size < 3 && !thrownFor.has(input.to)) {
          thrownFor.add(input.to);
          throw new Error('database connection lost after the send');
        }
        return result;
      },
    };
    const errors: unknown[] = [];
    expect(await stack.runner(flaky, { onError: (e) => errors.push(e) }).run(broadcast.id)).toBe('done');
    expect(errors).toHaveLength(3);
    expectEachOnce(12);
    for (const to of thrownFor) {
      const keys = real.calls.filter((c) => c.to === to).map((c) => c.idempotencyKey);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
    }
    expect((await stack.service.status(broadcast.id)).counters.sent).toBe(12);
  });

  it('lets one runner at a time send a broadcast', async () => {
    await setUp(200);
    const sender = graphTemplateSender(emu.graph);
    const { broadcast } = await stack.service.create({ flowId: 'survey', csv: contactsCsv(40), rate: 200 });
    await stack.service.start(broadcast.id);
    const ends = await Promise.all([stack.runner(sender).run(broadcast.id), stack.runner(sender).run(broadcast.id)]);
    expect(ends.sort()).toEqual(['done', 'lease_held']);
    expectEachOnce(40);
  });
});
