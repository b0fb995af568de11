import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { buildApp } from '../../src/server/app.js';
import { sendsApi } from '../../src/server/routes/sends-api.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createSessionService } from '../../src/services/sessions.js';
import type { LoopbackServer } from '../fakes/shared/loopback-server.js';
import { TOKEN, WABA } from '../graph/harness.js';
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

describe('POST /api/sends bodyParameters, against the Graph emulator', () => {
  const paramsFlow = () => kit.flow({ message: { body: 'b', cta: 'Go', templateName: 'signup_params', templateLanguage: 'en_US' } });
  /** The flow with a two-placeholder template, its Graph calls through a recording proxy. */
  async function startWithTemplate(): Promise<LoopbackServer> {
    kit = await startSendKit();
    await kit.h.graph.createTemplate({ name: 'signup_params', language: 'en_US', category: 'MARKETING', body: 'Hi {{1}}, see you in {{2}}', flowButton: { text: 'Sign up', flow: { id: kit.metaFlowId } } });
    const proxy = await startEmulatorProxy(kit.h.url);
    closers.push(() => proxy.close());
    await start({ graph: kit.graphAt(proxy.url) }, [paramsFlow()]);
    return proxy;
  }

  it('201: the Graph request carries the values as the body component, ahead of the FLOW button', async () => {
    const proxy = await startWithTemplate();
    const res = await post({ to: ANN, flow: 'signup', mode: 'template', bodyParameters: [{ text: 'Ann' }, { text: 'Delft = centre' }] });
    expect(res.statusCode).toBe(201);
    const sent = proxy.requests.filter((r) => r.path.endsWith('/messages'));
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual({
      messaging_product: 'whatsapp', recipient_type: 'individual', to: ANN, type: 'template',
      template: {
        name: 'signup_params', language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'Delft = centre' }] },
          { type: 'button', sub_type: 'flow', index: '0', parameters: [{ type: 'action', action: { flow_token: res.json().flowToken } }] },
        ],
      },
    });
  });

  it('named parameters go out with parameter_name', async () => {
    kit = await startSendKit();
    const created = await fetch(`${kit.h.url}/v23.0/${WABA}/message_templates`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'named_tpl', language: 'en_US', category: 'MARKETING', parameter_format: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}} in {{city}}' }, { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go', flow_id: kit.metaFlowId }] }] }) });
    expect(created.status).toBe(200);
    await start({}, [kit.flow({ message: { body: 'b', cta: 'Go', templateName: 'named_tpl', templateLanguage: 'en_US' } })]);
    const res = await post({ to: ANN, flow: 'signup', mode: 'template', bodyParameters: [{ name: 'first_name', text: 'Ann' }, { name: 'city', text: 'Delft' }] });
    expect(res.statusCode).toBe(201);
    expect(kit.h.emulator.state.messages.at(-1)!.request.template).toMatchObject({
      components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }, { type: 'text', parameter_name: 'city', text: 'Delft' }] }, { type: 'button' }],
    });
  });

  it('502 with Meta\'s 132000 and a clear message when the count does not match the template', async () => {
    const proxy = await startWithTemplate();
    const res = await post({ to: ANN, flow: 'signup', mode: 'template', bodyParameters: [{ text: 'Ann' }] });
    expect([res.statusCode, res.json().error, res.json().graphCode, res.json().retryable]).toEqual([502, 'graph_error', 132000, false]);
    expect(res.json().message).toMatch(/parameters do not match its placeholders.*\(1\) does not match the expected number of params \(2\)/);
    expect(proxy.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(1);
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });

  it('400 naming the index and the rule for a bad value, before any Graph call', async () => {
    const proxy = await startWithTemplate();
    const cases: Array<[unknown, RegExp]> = [
      [[{ text: 'Ann' }, { text: '' }], /bodyParameters\[1\]\.text: is empty \(WhatsApp refuses an empty parameter\)/],
      [[{ text: 'two\nlines' }, { text: 'Delft' }], /bodyParameters\[0\]\.text: contains a line break; WhatsApp refuses template parameters with line breaks, tabs or more than 4 consecutive spaces/],
      [[{ text: 'Ann' }, { text: 'a\tb' }], /bodyParameters\[1\]\.text: contains a tab/],
      [[{ text: 'Ann' }, { text: 'a     b' }], /bodyParameters\[1\]\.text: contains more than 4 consecutive spaces/],
      [[{ name: 'first_name', text: 'Ann' }, { text: 'Delft' }], /bodyParameters\[1\]\.name: has no name but the first parameter is named "first_name": name every parameter .* or none/],
      [[{ name: 'city', text: 'Ann' }, { name: 'city', text: 'Delft' }], /bodyParameters\[1\]\.name: repeats the name "city"/],
      [[{ name: 'First Name', text: 'Ann' }], /bodyParameters\[0\]\.name: is named "First Name": a placeholder name is lower-case letters/],
      [[{ text: 5 }], /bodyParameters\[0\]\.text: must be a string/],
      [[{ text: 'Ann', extra: 1 }], /bodyParameters\[0\]/],
      ['Ann', /bodyParameters: must be an array/],
    ];
    for (const [bodyParameters, message] of cases) {
      const res = await post({ to: ANN, flow: 'signup', mode: 'template', bodyParameters });
      expect([res.statusCode, res.json().error]).toEqual([400, 'bad_request']);
      expect(res.json().message).toMatch(message);
    }
    expect(proxy.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(0);
    expect(kit.h.emulator.state.messages).toHaveLength(0);
  });
});
