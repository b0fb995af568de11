import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientErrorReport } from '../../src/services/client-error-recorder.js';
import { complete, error, next, type FlowRequestContext } from '../../src/services/flow-handlers.js';
import { encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { APP_SECRET, FLOW_ID, type Harness, OLD_APP_SECRET, appointmentHandlers, postRaw, privateKey, publicKey, sealRequest, startHarness } from './server-harness.js';

const seen: FlowRequestContext[] = [];
const reports: ClientErrorReport[] = [];
let h: Harness;

async function send(plaintext: Record<string, unknown>, harness: Harness = h) {
  const req = sealRequest(plaintext);
  const res = await harness.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
  return { status: res.statusCode, body: res.body, reply: res.statusCode === 200 || res.statusCode === 427 ? req.open(res.body) : undefined };
}

beforeAll(async () => {
  h = await startHarness({
    clientErrors: { record: (r) => { reports.push(r); return Promise.resolve(); } },
    handlers: {
      [FLOW_ID]: appointmentHandlers,
      probe: {
        INIT: (ctx) => { seen.push(ctx); return next('START', { n: 1 }); },
        screens: {
          START: { data_exchange: (ctx) => { seen.push(ctx); return complete({ flow_token: 'forged', answer: ctx.data.answer }); }, BACK: () => next('START', { n: 2 }) },
          THROWS: { data_exchange: () => { throw new Error('boom at /secret/path'); } },
          SUCCESS_MISUSE: { data_exchange: () => next('SUCCESS', {}) },
          BAD_RESULT: { data_exchange: () => ({ kind: 'nope' }) as never },
        },
      },
      'init-error': { INIT: () => error('nothing to re-display') },
    },
  });
  for (const [token, flowId] of [['t-appt', FLOW_ID], ['t-probe', 'probe'], ['t-probe2', 'probe'], ['t-none', 'unregistered-flow'], ['t-init-error', 'init-error']] as const) {
    await h.insertSession(token, { flowId });
  }
});
afterAll(async () => h.close());

describe('handler API through the endpoint', () => {
  it('INIT → next(): the first screen and its data; the handler sees the session', async () => {
    const r = await send({ version: '3.0', action: 'INIT', flow_token: 't-probe', screen: '', data: {} });
    expect(r.status).toBe(200);
    expect(r.reply).toEqual({ screen: 'START', data: { n: 1 } });
    expect(seen.at(-1)).toMatchObject({ action: 'INIT', screen: undefined, flowToken: 't-probe', session: { flowId: 'probe', contactPhone: '15550001111' } });
  });

  it('error() re-displays the request screen with error_message and error_messages', async () => {
    const r = await send({ version: '3.0', action: 'data_exchange', screen: 'APPOINTMENT', flow_token: 't-appt', data: { service: 'colour', date: '2026-02-02' } });
    expect(r.reply).toEqual({ screen: 'APPOINTMENT', data: { error_message: 'Colour is fully booked', error_messages: { service: 'Pick another service' } } });
    expect((await h.counts()).submissions).toBe(0);
  });

  it('BACK runs the handler of the screen being left', async () => {
    const r = await send({ version: '3.0', action: 'BACK', screen: 'START', flow_token: 't-probe' });
    expect(r.reply).toEqual({ screen: 'START', data: { n: 2 } });
  });

  it('an unmatched screen falls back to the flow\'s fallback handler', async () => {
    await h.insertSession('t-fallback');
    const r = await send({ version: '3.0', action: 'data_exchange', screen: 'ELSEWHERE', flow_token: 't-fallback', data: { x: 'y' } });
    expect(r.reply).toEqual({ screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: 't-fallback', via: 'fallback', x: 'y' } } } });
  });

  it('complete() puts the session\'s flow_token first and ignores a forged one; the submission is stored once', async () => {
    const r = await send({ version: '3.0', action: 'data_exchange', screen: 'START', flow_token: 't-probe2', data: { answer: 'ü ✓' } });
    expect(r.reply).toEqual({ screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: 't-probe2', answer: 'ü ✓' } } } });
    const row = await h.store.db.selectFrom('submissions').selectAll().where('flow_token', '=', 't-probe2').executeTakeFirstOrThrow();
    expect(JSON.parse(row.response_json)).toEqual({ flow_token: 't-probe2', answer: 'ü ✓' });
    const session = await h.store.db.selectFrom('flow_sessions').select('status').where('flow_token', '=', 't-probe2').executeTakeFirstOrThrow();
    expect(session.status).toBe('completed');
  });

  it('next() records the last screen of the session', async () => {
    await send({ version: '3.0', action: 'INIT', flow_token: 't-appt' });
    await new Promise((r) => setTimeout(r, 20));
    const row = await h.store.db.selectFrom('flow_sessions').select('last_screen').where('flow_token', '=', 't-appt').executeTakeFirstOrThrow();
    expect(row.last_screen).toBe('APPOINTMENT');
  });

  it.each([
    ['no handlers for the session\'s flow', { action: 'INIT', flow_token: 't-none' }],
    ['a handler that throws', { action: 'data_exchange', screen: 'THROWS', flow_token: 't-probe' }],
    ['next("SUCCESS") instead of complete()', { action: 'data_exchange', screen: 'SUCCESS_MISUSE', flow_token: 't-probe' }],
    ['a result of an unknown kind', { action: 'data_exchange', screen: 'BAD_RESULT', flow_token: 't-probe' }],
    ['error() on INIT (no screen to re-display)', { action: 'INIT', flow_token: 't-init-error' }],
  ])('%s → 500 with an empty body, nothing stored, still serving', async (_name, request) => {
    const before = await h.counts();
    const r = await send({ version: '3.0', ...request });
    expect(r.status).toBe(500);
    expect(r.body).toBe('');
    expect(await h.counts()).toEqual(before);
    expect((await send({ version: '3.0', action: 'ping' })).reply).toEqual({ data: { status: 'active' } });
  });
});

describe('ping and error notifications', () => {
  it('ping needs no flow_token and is answered encrypted', async () => {
    const r = await send({ version: '3.0', action: 'ping' });
    expect(r).toMatchObject({ status: 200, reply: { data: { status: 'active' } } });
  });

  it.each([
    ['error', { error: 'payload-schema-error', error_message: 'bad data' }, 'data_exchange'],
    ['error_key', { error_key: 'invalid-screen-transition', error_message: 'no route' }, 'INIT'],
    ['error on pywa\'s navigate action', { error: 'unknown-screen' }, 'navigate'],
  ])('is acknowledged and recorded (%s)', async (_name, data, action) => {
    const r = await send({ version: '3.0', action, screen: 'APPOINTMENT', flow_token: 't-appt', data });
    expect(r).toMatchObject({ status: 200, reply: { data: { acknowledged: true } } });
    const last = reports.at(-1)!;
    expect(last).toMatchObject({ action, screen: 'APPOINTMENT', flowId: FLOW_ID });
    expect(last.error).toBe(Object.values(data)[0]);
    expect(JSON.stringify(last)).not.toContain('t-appt');
  });

  it('an error notification for an unknown token is still acknowledged, without a flow id', async () => {
    const r = await send({ version: '3.0', action: 'data_exchange', flow_token: 'nope', data: { error: 'x' } });
    expect(r.reply).toEqual({ data: { acknowledged: true } });
    expect(reports.at(-1)!.flowId).toBeUndefined();
  });
});

describe('rotation and sandbox mode', () => {
  it('a request for the previous key and signed with the previous secret is served', async () => {
    const fresh = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const r = await startHarness({ keys: [fresh.privateKey, privateKey], secrets: [APP_SECRET, OLD_APP_SECRET] });
    try {
      const { body, aesKey, iv } = encryptFlowRequest({ version: '3.0', action: 'ping' }, publicKey);
      const payload = JSON.stringify(body);
      const res = await r.app.inject({ method: 'POST', url: '/flows/endpoint', payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, OLD_APP_SECRET) } });
      expect(res.statusCode).toBe(200);
      const { decryptFlowResponse } = await import('../../src/whatsapp/flow-crypto.js');
      expect(decryptFlowResponse(res.body, aesKey, iv)).toEqual({ data: { status: 'active' } });
    } finally {
      await r.close();
    }
  });

  it('without app secrets, unsigned requests are served and flow_token_signature is not checked', async () => {
    const s = await startHarness({ secrets: [] });
    try {
      await s.insertSession('sbx');
      const req = sealRequest({ version: '4.0', action: 'INIT', flow_token: 'sbx', flow_token_signature: 'not.a.jwt' }, null);
      const res = await postRaw(s.app, req.payload, null);
      expect(res.statusCode).toBe(200);
      expect(req.open(res.body)).toMatchObject({ screen: 'APPOINTMENT' });
    } finally {
      await s.close();
    }
  });
});

describe('health', () => {
  it('/healthz is 200 and /readyz is 200 when the database answers and a key is loaded', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  it('/readyz is 503 with every reason when the database fails and no key is loaded', async () => {
    const s = await startHarness({ keys: [], checkDatabase: () => Promise.reject(new Error('connection refused')) });
    try {
      const res = await s.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not-ready', reasons: ['no private key loaded', 'database unreachable'] });
      expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await s.close();
    }
  });
});
