import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { buildApp } from '../../src/server/app.js';
import { sendsApi } from '../../src/server/routes/sends-api.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createSessionService } from '../../src/services/sessions.js';
import { startEmulatorProxy, startSendKit, type SendKit } from './send-kit.js';

const KEY = 'k'.repeat(32);
const auth = { authorization: `Bearer ${KEY}` };
const ANN = '31612345678';
let kit: SendKit;
let app: FastifyInstance;
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await app.close();
  for (const close of closers.splice(0)) await close();
  await kit.close();
});

async function start(overrides: Parameters<SendKit['sender']>[1] = {}, flows?: Parameters<SendKit['sender']>[0]): Promise<void> {
  app = await buildApp({
    config: { appSecret: undefined }, keys: [], sessions: createSessionService(kit.sessionRepo), handlers: createHandlerRegistry(),
    logger: pino({ level: 'silent' }), checkDatabase: () => Promise.resolve(),
    api: { apiKey: new Secret(KEY), routes: [sendsApi({ sender: kit.sender(flows, overrides), sends: kit.sends, statuses: kit.statuses })] },
  });
}

const post = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/sends', headers: { ...auth, ...headers }, payload: payload as Record<string, unknown> });

describe('POST /api/sends', () => {
  it('401 without the API key or with a wrong one; nothing is sent', async () => {
    kit = await startSendKit();
    await start();
    expect((await app.inject({ method: 'POST', url: '/api/sends', payload: { to: ANN, flow: 'signup' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/sends', headers: { authorization: 'Bearer nope' }, payload: { to: ANN, flow: 'signup' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/sends/x' })).statusCode).toBe(401);
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('201 with the send, 200 with the same body for a repeated Idempotency-Key, then GET shows state and statuses', async () => {
    kit = await startSendKit();
    await kit.openWindow(ANN);
    await start();
    const first = await post({ to: '+31 6 12345678', flow: 'signup', campaign: 'crm' }, { 'idempotency-key': 'ticket-42' });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body).toEqual({ sendId: expect.any(String), flowToken: expect.any(String), wamid: kit.h.emulator.state.messages[0]?.wamid, kind: 'interactive', waId: ANN });
    const again = await post({ to: ANN, flow: 'signup', campaign: 'crm' }, { 'idempotency-key': 'ticket-42' });
    expect([again.statusCode, again.json()]).toEqual([200, body]);
    expect(kit.h.emulator.state.messages).toHaveLength(1);
    await kit.statuses.recordStatus({ messageId: body.wamid, status: 'delivered', occurredAt: new Date('2026-01-01T00:00:05Z') });
    const got = await app.inject({ method: 'GET', url: `/api/sends/${body.sendId}`, headers: auth });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ sendId: body.sendId, flow: 'signup', state: 'sent', kind: 'interactive', entry: 'api', campaign: 'crm', statuses: [{ status: 'delivered', occurredAt: '2026-01-01T00:00:05.000Z', errorCode: null }] });
    expect(got.json()).not.toHaveProperty('flowToken');
    expect((await app.inject({ method: 'GET', url: '/api/sends/unknown', headers: auth })).statusCode).toBe(404);
  });

  it('400 for a bad body, unknown fields, a bad phone number or a bad Idempotency-Key', async () => {
    kit = await startSendKit();
    await start();
    const cases: Array<[unknown, Record<string, string>?]> = [
      [{ flow: 'signup' }], [{ to: ANN, flow: 'signup', mode: 'fax' }], [{ to: ANN, flow: 'signup', extra: 1 }], [{ to: 'not a phone', flow: 'signup' }],
      [{ to: ANN, flow: 'signup' }, { 'idempotency-key': 'has space' }],
    ];
    for (const [payload, headers] of cases) {
      const res = await post(payload, headers);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/\w/);
    }
    const malformed = await app.inject({ method: 'POST', url: '/api/sends', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"to":' });
    expect([malformed.statusCode, malformed.json().error]).toEqual([400, 'bad_request']);
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('404 unknown flow, 409 not published, 422 no template outside the window', async () => {
    kit = await startSendKit();
    await start({}, [kit.flow(), kit.flow({ id: 'draft', metaFlowId: undefined }), kit.flow({ id: 'bare', message: { body: 'b', cta: 'Open' } })]);
    expect((await post({ to: ANN, flow: 'nope' })).statusCode).toBe(404);
    const unpublished = await post({ to: ANN, flow: 'draft' });
    expect([unpublished.statusCode, unpublished.json().error]).toEqual([409, 'not_published']);
    const noTemplate = await post({ to: ANN, flow: 'bare' });
    expect([noTemplate.statusCode, noTemplate.json().error]).toEqual([422, 'no_template']);
  });

  it('502 when Meta refuses, 503 with Retry-After when Meta is throttling', async () => {
    kit = await startSendKit('sqlite', { templateApproval: 'manual' });
    const proxy = await startEmulatorProxy(kit.h.url);
    closers.push(() => proxy.close());
    await start({ graph: kit.graphAt(proxy.url) });
    const refused = await post({ to: ANN, flow: 'signup' });
    expect([refused.statusCode, refused.json().graphCode, refused.json().retryable]).toEqual([502, 132001, false]);
    proxy.failNext({ kind: 'status', status: 429, retryAfter: '7', body: { error: { message: '(#130429) Rate limit hit', code: 130429, type: 'OAuthException' } } });
    const throttled = await post({ to: ANN, flow: 'signup' });
    expect([throttled.statusCode, throttled.headers['retry-after'], throttled.json().graphCode]).toEqual([503, '7', 130429]);
  });
});
