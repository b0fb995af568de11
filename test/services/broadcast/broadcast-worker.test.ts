import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBroadcastWorker } from '../../../src/services/broadcast/broadcast-worker.js';
import type { FlowSender, SendFlowInput } from '../../../src/services/flow-sender.js';
import { contactsCsv } from './broadcast-kit.js';
import { broadcastStack, surveyFlow, type BroadcastStack } from './broadcast-setup.js';

describe('broadcast worker', () => {
  let stack: BroadcastStack;
  beforeAll(async () => {
    stack = await broadcastStack('sqlite', surveyFlow('1234'));
  }, 60_000);
  afterAll(async () => {
    await stack.cleanup();
  }, 60_000);

  it('sends running broadcasts one after another, wakes on demand and stops cleanly', async () => {
    const calls: SendFlowInput[] = [];
    const sender: FlowSender = {
      send: (input) => {
        calls.push(input);
        return Promise.resolve({ ok: true, sendId: `s${calls.length}`, flowToken: `t${calls.length}`, wamid: `wamid.${calls.length}`, waId: input.to, kind: 'template', repeated: false });
      },
    };
    const ends: string[] = [];
    const worker = createBroadcastWorker({ broadcasts: stack.broadcasts, runner: stack.runner(sender), pollMs: 60_000, onRunEnd: (_id, end) => ends.push(end) });
    const first = (await stack.service.create({ flowId: 'survey', csv: contactsCsv(5), rate: 100 })).broadcast;
    const second = (await stack.service.create({ flowId: 'survey', csv: contactsCsv(3, 20_000_000), rate: 100 })).broadcast;
    await stack.service.start(first.id);
    stack.clock.advance(1000);
    await stack.service.start(second.id);
    worker.start();
    await vi.waitFor(async () => expect((await stack.service.status(second.id)).broadcast.state).toBe('done'));
    expect((await stack.service.status(first.id)).counters.sent).toBe(5);
    expect(calls.map((c) => c.campaign)).toEqual([...Array(5).fill(first.id), ...Array(3).fill(second.id)]);

    // idle now, polling once a minute: a start wakes it
    const third = (await stack.service.create({ flowId: 'survey', csv: contactsCsv(2, 30_000_000), rate: 100 })).broadcast;
    await stack.service.start(third.id);
    worker.wake();
    await vi.waitFor(async () => expect((await stack.service.status(third.id)).broadcast.state).toBe('done'));
    await worker.stop();
    expect(ends).toEqual(['done', 'done', 'done']);
  });
});
