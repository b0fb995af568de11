import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decryptFlowResponse, encryptFlowRequest, loadPrivateKey, loadPublicKey } from '../whatsapp/flow-crypto.js';
import type { LogSink } from './client-error-recorder.js';
import { createFlowEndpoint, type FlowEndpointDeps } from './flow-endpoint.js';
import { createHandlerRegistry, next } from './flow-handlers.js';
import type { SessionService } from './sessions.js';

const FIXTURES = process.env.FLOWBRIDGE_CRYPTO_FIXTURES ?? '/work/shared/fixtures/crypto';
const privateKey = loadPrivateKey(readFileSync(`${FIXTURES}/test-private-key.pem`, 'utf8'));
const publicKey = loadPublicKey(readFileSync(`${FIXTURES}/test-public-key.pem`, 'utf8'));

function sink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const push = (obj: object, msg: string) => { lines.push(`${msg} ${JSON.stringify(obj)}`); };
  return { lines, debug: push, info: push, warn: push, error: push };
}

const failingStore: SessionService = {
  issue: () => Promise.reject(new Error('db down')),
  check: () => Promise.reject(new Error('db down')),
  recordScreen: () => Promise.reject(new Error('db down')),
  complete: () => Promise.reject(new Error('db down')),
};

function endpoint(over: Partial<FlowEndpointDeps> = {}) {
  const handlers = createHandlerRegistry();
  handlers.register('f', { INIT: () => next('A') });
  const logger = sink();
  const deps: FlowEndpointDeps = {
    keys: [privateKey], appSecrets: [], sessions: failingStore, handlers, logger,
    clientErrors: { record: () => Promise.reject(new Error('recorder down')) }, ...over,
  };
  return { endpoint: createFlowEndpoint(deps), logger };
}

function request(plaintext: unknown) {
  const { body, aesKey, iv } = encryptFlowRequest(plaintext, publicKey);
  return { raw: Buffer.from(JSON.stringify(body)), open: (text: string) => decryptFlowResponse(text, aesKey, iv) };
}

describe('createFlowEndpoint failure mapping', () => {
  it('a failing session store is a 500 with an empty body, logged without request data', async () => {
    const { endpoint: e, logger } = endpoint();
    const r = request({ version: '3.0', action: 'INIT', flow_token: 'tok-secret-123' });
    expect(await e.handle(r.raw, undefined)).toEqual({ status: 500, body: '', outcome: 'internal-error' });
    expect(logger.lines.join('\n')).toContain('db down');
    expect(logger.lines.join('\n')).not.toContain('tok-secret-123');
  });

  it('error notifications are still acknowledged when recording fails', async () => {
    const { endpoint: e } = endpoint();
    const r = request({ version: '3.0', action: 'data_exchange', flow_token: 't', data: { error: 'payload-schema-error' } });
    const answer = await e.handle(r.raw, undefined);
    expect(answer.status).toBe(200);
    expect(r.open(answer.body)).toEqual({ data: { acknowledged: true } });
  });

  it('no keys at all (a misconfiguration readyz reports) answers 421, as for any undecryptable request', async () => {
    const { endpoint: e } = endpoint({ keys: [] });
    const r = request({ version: '3.0', action: 'ping' });
    expect(await e.handle(r.raw, undefined)).toEqual({ status: 421, body: '', outcome: 'decrypt-failed' });
  });

  it('uses the configured 427 messages', async () => {
    const sessions: SessionService = { ...failingStore, check: () => Promise.resolve({ ok: false, reason: 'expired' }) };
    const { endpoint: e } = endpoint({ sessions, tokenMessages: { unknown: 'u', expired: 'Link expired, reply NEW', completed: 'c' } });
    const r = request({ version: '3.0', action: 'INIT', flow_token: 'x' });
    const answer = await e.handle(r.raw, undefined);
    expect(answer.status).toBe(427);
    expect(r.open(answer.body)).toEqual({ error_msg: 'Link expired, reply NEW' });
  });
});
