import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendFlowResult } from '../../src/services/flow-sender.js';
import { createSendRepo } from '../../src/store/repos/send-repo.js';
import type { LoopbackServer } from '../fakes/shared/loopback-server.js';
import { startEmulatorProxy, startSendKit, type SendKit } from './send-kit.js';

let kit: SendKit;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await kit.close();
});

const ANN = '31612345678';
const BOB = '4915123456789';

function ok(result: SendFlowResult): Extract<SendFlowResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a send, got ${result.code}: ${result.message}`);
  return result;
}

async function proxy(target: string): Promise<LoopbackServer> {
  const server = await startEmulatorProxy(target);
  closers.push(() => server.close());
  return server;
}

describe('flow sender against the Graph emulator', () => {
  it('sends the interactive flow message inside the window, with the session token and first screen', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    const result = ok(await kit.sender().send({ flowId: 'signup', to: '+31 6 1234 5678', entry: 'api', campaign: 'spring' }));
    expect(result).toMatchObject({ kind: 'interactive', waId: ANN, repeated: false });
    const [message] = kit.h.emulator.state.messages;
    expect(message?.wamid).toBe(result.wamid);
    expect(message?.flow).toMatchObject({ flowId: kit.metaFlowId, flowToken: result.flowToken, action: 'navigate', screen: 'WELCOME', mode: 'published', cta: 'Sign up' });
    const session = await kit.sessionRepo.getSession(result.flowToken);
    expect(session).toMatchObject({ flowId: 'signup', contactPhone: ANN, entryPoint: 'api', campaign: 'spring', status: 'open' });
    expect(await kit.sends.get(result.sendId)).toMatchObject({ state: 'sent', wamid: result.wamid, kind: 'interactive', recipient: '+31 6 1234 5678', attempts: 1 });
  });

  it('uses data_exchange for a flow with an endpoint', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    ok(await kit.sender([kit.flow({ usesEndpoint: true })]).send({ flowId: 'signup', to: ANN, entry: 'cli' }));
    expect(kit.h.emulator.state.messages[0]?.flow).toMatchObject({ action: 'data_exchange', screen: undefined });
  });

  it('sends the FLOW-button template outside the window, with the flow_token in the button', async () => {
    kit = await startSendKit();
    const result = ok(await kit.sender().send({ flowId: 'signup', to: ANN, entry: 'api' }));
    expect(result.kind).toBe('template');
    const [message] = kit.h.emulator.state.messages;
    expect(message?.template).toEqual({ name: 'signup_tpl', language: 'en_US' });
    expect(message?.flow).toMatchObject({ flowId: kit.metaFlowId, flowToken: result.flowToken });
  });

  it('falls back to the template when Meta says the window is closed although our state said open', async () => {
    kit = await startSendKit();
    await kit.conversations.recordInbound({ waId: ANN, timestamp: kit.now() });
    const result = ok(await kit.sender().send({ flowId: 'signup', to: ANN, entry: 'api' }));
    expect(result.kind).toBe('template');
    expect(kit.h.emulator.state.messages.map((m) => m.type)).toEqual(['template']);
    expect((await kit.sends.get(result.sendId))?.kind).toBe('template');
  });

  it('closes the window 24 hours after the last inbound message', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    kit.advance(24 * 3600 * 1000);
    expect(ok(await kit.sender().send({ flowId: 'signup', to: ANN, entry: 'api' })).kind).toBe('template');
  });

  it('refuses without a template outside the window, and when asked for a template the flow lacks', async () => {
    kit = await startSendKit();
    const sender = kit.sender([kit.flow({ message: { body: 'b', cta: 'Open' } })]);
    const closed = await sender.send({ flowId: 'signup', to: ANN, entry: 'api' });
    expect(closed).toMatchObject({ ok: false, code: 'no_template' });
    expect(!closed.ok && closed.message).toMatch(/no open customer-service window.*Fix:/);
    await kit.openWindow(ANN);
    expect(await sender.send({ flowId: 'signup', to: ANN, entry: 'api', mode: 'template' })).toMatchObject({ ok: false, code: 'no_template' });
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('reports a template that is not approved as a Graph error and records the failure', async () => {
    kit = await startSendKit('sqlite', { templateApproval: 'manual' });
    const result = await kit.sender().send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'k-pending' });
    expect(result).toMatchObject({ ok: false, code: 'graph_error' });
    expect(!result.ok && result.graphError?.graphCode).toBe(132001);
    expect(!result.ok && result.message).toMatch(/No approved template/);
    expect(await kit.sends.findByKey('k-pending')).toMatchObject({ state: 'failed', errorCode: '132001' });
  });

  it('refuses unknown flows, unpublished flows and bad phone numbers before calling Meta', async () => {
    kit = await startSendKit();
    const sender = kit.sender([kit.flow({ id: 'draft-only', metaFlowId: undefined })]);
    expect(await sender.send({ flowId: 'nope', to: ANN, entry: 'api' })).toMatchObject({ ok: false, code: 'unknown_flow' });
    const unpublished = await sender.send({ flowId: 'draft-only', to: ANN, entry: 'api' });
    expect(unpublished).toMatchObject({ ok: false, code: 'not_published' });
    expect(!unpublished.ok && unpublished.message).toContain('flowbridge publish');
    for (const to of ['abc', '12', '+999 123 456', '0612345678x']) {
      expect(await sender.send({ flowId: 'draft-only', to, entry: 'api' })).toMatchObject({ ok: false, code: 'bad_phone' });
    }
    expect(kit.h.emulator.state.messages).toHaveLength(0);
    expect(await kit.db.store.db.selectFrom('flow_sessions').select('flow_token').execute()).toHaveLength(0);
  });

  it('uses the live flow stored by publish when the project names no Meta id', async () => {
    kit = await startSendKit();
    await kit.published.save({ flowId: 'signup', name: 'signup', wabaId: 'w', metaFlowId: kit.metaFlowId, liveMetaFlowId: kit.metaFlowId, contentHash: 'h', status: 'PUBLISHED' });
    await kit.openWindow(ANN);
    ok(await kit.sender([kit.flow({ metaFlowId: undefined })]).send({ flowId: 'signup', to: ANN, entry: 'api' }));
    expect(kit.h.emulator.state.messages[0]?.flow?.flowId).toBe(kit.metaFlowId);
  });

  it('a DRAFT flow sent as published is Meta\'s error, with its details', async () => {
    kit = await startSendKit();
    const { id } = await kit.h.graph.createFlow({ name: 'drafty', categories: ['OTHER'] });
    await kit.openWindow(ANN);
    const result = await kit.sender([kit.flow({ metaFlowId: id })]).send({ flowId: 'signup', to: ANN, entry: 'api' });
    expect(result).toMatchObject({ ok: false, code: 'graph_error' });
    expect(!result.ok && result.message).toMatch(/DRAFT/);
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('130429: a retryable Graph error; the same key then sends once the limit allows', async () => {
    kit = await startSendKit('sqlite', { mps: 1 });
    await kit.openWindow(ANN);
    await kit.openWindow(BOB);
    const sender = kit.sender();
    ok(await sender.send({ flowId: 'signup', to: ANN, entry: 'broadcast', idempotencyKey: 'r1' }));
    const limited = await sender.send({ flowId: 'signup', to: BOB, entry: 'broadcast', idempotencyKey: 'r2' });
    expect(!limited.ok && [limited.code, limited.graphError?.graphCode, limited.graphError?.retryable]).toEqual(['graph_error', 130429, true]);
    const failed = await kit.sends.findByKey('r2');
    kit.advance(1500);
    const retried = ok(await sender.send({ flowId: 'signup', to: BOB, entry: 'broadcast', idempotencyKey: 'r2' }));
    expect([retried.sendId, retried.flowToken, retried.repeated]).toEqual([failed?.id, failed?.flowToken, false]);
    expect((await kit.sends.get(retried.sendId))?.attempts).toBe(2);
    expect(kit.h.emulator.state.messages.filter((m) => m.waId === BOB)).toHaveLength(1);
  });

  it('Graph 5xx: recorded as failed with the retry hint; a retry with the key sends once', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    const p = await proxy(kit.h.url);
    p.failNext({ kind: 'status', status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException', is_transient: true } } });
    const sender = kit.sender(undefined, { graph: kit.graphAt(p.url) });
    const result = await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'five' });
    expect(!result.ok && [result.code, result.graphError?.httpStatus, result.graphError?.retryable]).toEqual(['graph_error', 503, true]);
    expect(!result.ok && result.graphError?.retryAfterMs).toBeGreaterThan(0);
    expect(ok(await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'five' })).repeated).toBe(false);
    expect(ok(await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'five' })).repeated).toBe(true);
    expect(kit.h.emulator.state.messages).toHaveLength(1);
  });

  it('a timeout leaves the outcome unknown and the same key never sends again', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    let hits = 0;
    const hang: Server = createServer(() => { hits++; });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { hang.closeAllConnections(); hang.close(() => resolve()); }));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    const sender = kit.sender(undefined, { graph: kit.graphAt(url, { timeoutMs: 100 }) });
    const first = await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'slow' });
    expect(!first.ok && [first.code, first.graphError?.httpStatus]).toEqual(['graph_error', 0]);
    expect(!first.ok && first.message).toMatch(/timed out/);
    expect((await kit.sends.findByKey('slow'))?.state).toBe('unknown');
    expect(await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'slow' })).toMatchObject({ ok: false, code: 'outcome_unknown' });
    expect(hits).toBe(1);
  });

  it('a claimed send without an answer is in progress at first, then (after a crash) of unknown outcome, never resent', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    const claim = await kit.sends.claim({ flowId: 'signup', flowToken: 'tok', recipient: ANN, waId: ANN, kind: 'interactive', entry: 'broadcast', idempotencyKey: 'crashed' });
    expect(claim.claimed).toBe(true);
    const sender = kit.sender();
    expect(await sender.send({ flowId: 'signup', to: ANN, entry: 'broadcast', idempotencyKey: 'crashed' })).toMatchObject({ ok: false, code: 'in_progress' });
    kit.advance(121_000);
    expect(await sender.send({ flowId: 'signup', to: ANN, entry: 'broadcast', idempotencyKey: 'crashed' })).toMatchObject({ ok: false, code: 'outcome_unknown' });
    expect(await kit.sends.findByKey('crashed')).toMatchObject({ state: 'unknown', errorCode: 'interrupted' });
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('stores ad attribution, reply-to and uses the ad id as the session campaign', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    const r = ok(await kit.sender().send({ flowId: 'signup', to: ANN, entry: 'ad', mode: 'interactive', attribution: { adId: '120200', ctwaClid: 'clid-1' }, replyTo: 'wamid.IN' }));
    expect(await kit.sends.get(r.sendId)).toMatchObject({ adId: '120200', ctwaClid: 'clid-1', replyTo: 'wamid.IN', entry: 'ad' });
    expect(await kit.sessionRepo.getSession(r.flowToken)).toMatchObject({ entryPoint: 'ad', campaign: '120200' });
  });

  it('a key used for another recipient is a conflict, never a send', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    await kit.openWindow(BOB);
    const sender = kit.sender();
    ok(await sender.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'same' }));
    expect(await sender.send({ flowId: 'signup', to: BOB, entry: 'api', idempotencyKey: 'same' })).toMatchObject({ ok: false, code: 'idempotency_conflict' });
    expect(kit.h.emulator.state.messages).toHaveLength(1);
  });
});

describe.each(['sqlite', 'postgres'] as const)('idempotency on %s', (dialect) => {
  it('one key sent concurrently from two server instances gives exactly one message', async () => {
    kit = await startSendKit(dialect);
    await kit.openWindow(ANN);
    const other = kit.db.reopen();
    const senders = [kit.sender(), kit.sender(undefined, { sends: createSendRepo(other.db, { now: () => kit.now() }) })];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => senders[i % 2]!.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'dup' })));
    expect(kit.h.emulator.state.messages).toHaveLength(1);
    const sent = results.filter((r) => r.ok);
    expect(sent.filter((r) => r.ok && !r.repeated)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.code).toBe('in_progress');
    const again = ok(await senders[1]!.send({ flowId: 'signup', to: ANN, entry: 'api', idempotencyKey: 'dup' }));
    expect(again.repeated).toBe(true);
    expect(again.wamid).toBe(kit.h.emulator.state.messages[0]?.wamid);
  });
});
