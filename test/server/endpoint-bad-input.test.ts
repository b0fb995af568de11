import { constants, createCipheriv, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_MESSAGES } from '../../src/services/flow-endpoint.js';
import { signFlowToken } from '../../src/services/flow-token-signature.js';
import { encryptFlowRequest } from '../../src/whatsapp/flow-crypto.js';
import { ENDPOINT_BODY_LIMIT } from '../../src/server/flow-endpoint-route.js';
import { APP_SECRET, type Harness, postRaw, publicKey, sealRequest, startHarness } from './server-harness.js';

const TOKEN = 'open-token-1';
const INIT = { version: '3.0', action: 'INIT', flow_token: TOKEN };
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.insertSession(TOKEN);
});
afterAll(async () => h.close());

async function stillServing(): Promise<void> {
  const req = sealRequest({ version: '3.0', action: 'ping' });
  const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
  expect(res.statusCode).toBe(200);
  expect(req.open(res.body)).toEqual({ data: { status: 'active' } });
}

function validBody(): Record<string, string> {
  return { ...sealRequest(INIT).body };
}

function b64Edit(text: string, edit: (b: Buffer) => Buffer): string {
  return edit(Buffer.from(text, 'base64')).toString('base64');
}

/** A request whose AES-GCM plaintext is `plaintext` bytes (not necessarily JSON). */
function rawPlaintextBody(plaintext: Buffer): string {
  const aesKey = randomBytes(16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-gcm', aesKey, iv);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
  return JSON.stringify({ encrypted_flow_data: sealed.toString('base64'), encrypted_aes_key: wrapped.toString('base64'), initial_vector: iv.toString('base64') });
}

const cases: Array<{ name: string; payload: () => string; status: number }> = [
  { name: 'malformed JSON', payload: () => '{"encrypted_flow_data": "abc", ', status: 400 },
  { name: 'JSON that is not an object', payload: () => '["a","b"]', status: 400 },
  { name: 'empty body', payload: () => '', status: 400 },
  { name: 'missing initial_vector', payload: () => { const { initial_vector: _iv, ...rest } = validBody(); return JSON.stringify(rest); }, status: 400 },
  { name: 'missing encrypted_aes_key', payload: () => { const { encrypted_aes_key: _k, ...rest } = validBody(); return JSON.stringify(rest); }, status: 400 },
  { name: 'a field that is not a string', payload: () => JSON.stringify({ ...validBody(), encrypted_flow_data: 42 }), status: 400 },
  { name: 'non-base64 AES key', payload: () => JSON.stringify({ ...validBody(), encrypted_aes_key: 'not*base64!' }), status: 421 },
  { name: 'unpadded base64 data', payload: () => JSON.stringify({ ...validBody(), encrypted_flow_data: validBody().encrypted_flow_data!.replace(/=+$/, '') + 'A' }), status: 421 },
  { name: 'wrong IV length (12 bytes)', payload: () => JSON.stringify({ ...validBody(), initial_vector: randomBytes(12).toString('base64') }), status: 421 },
  { name: 'AES key wrapped for another key', payload: () => JSON.stringify(encryptFlowRequest(INIT, other.publicKey).body), status: 421 },
  { name: 'tampered GCM tag', payload: () => { const b = validBody(); return JSON.stringify({ ...b, encrypted_flow_data: b64Edit(b.encrypted_flow_data!, (x) => { x[x.length - 1]! ^= 1; return x; }) }); }, status: 421 },
  { name: 'tampered ciphertext', payload: () => { const b = validBody(); return JSON.stringify({ ...b, encrypted_flow_data: b64Edit(b.encrypted_flow_data!, (x) => { x[0]! ^= 0x80; return x; }) }); }, status: 421 },
  { name: 'truncated ciphertext (shorter than the tag)', payload: () => { const b = validBody(); return JSON.stringify({ ...b, encrypted_flow_data: b64Edit(b.encrypted_flow_data!, (x) => x.subarray(0, 10)) }); }, status: 421 },
  { name: 'truncated ciphertext (a few bytes cut)', payload: () => { const b = validBody(); return JSON.stringify({ ...b, encrypted_flow_data: b64Edit(b.encrypted_flow_data!, (x) => x.subarray(0, x.length - 3)) }); }, status: 421 },
  { name: 'truncated RSA block', payload: () => { const b = validBody(); return JSON.stringify({ ...b, encrypted_aes_key: b64Edit(b.encrypted_aes_key!, (x) => x.subarray(0, 128)) }); }, status: 421 },
  { name: 'decrypted plaintext that is not JSON', payload: () => rawPlaintextBody(Buffer.from('action=INIT')), status: 421 },
  { name: 'decrypted plaintext that is not UTF-8', payload: () => rawPlaintextBody(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), status: 421 },
  { name: 'decrypted JSON that is not an object', payload: () => rawPlaintextBody(Buffer.from('[1,2]')), status: 400 },
  { name: 'unknown action', payload: () => sealRequest({ version: '3.0', action: 'DELETE_ALL', flow_token: TOKEN }).payload, status: 400 },
  { name: 'action of the wrong type', payload: () => sealRequest({ version: '3.0', action: 7, flow_token: TOKEN }).payload, status: 400 },
  { name: 'flow_token of the wrong type', payload: () => sealRequest({ version: '3.0', action: 'INIT', flow_token: 12 }).payload, status: 400 },
  { name: 'data that is not an object', payload: () => sealRequest({ ...INIT, action: 'data_exchange', screen: 'APPOINTMENT', data: 'x' }).payload, status: 400 },
];

describe('POST /flows/endpoint refuses bad input with the documented status, storing nothing', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.status}, empty body`, async () => {
      const before = await h.counts();
      const res = await postRaw(h.app, c.payload());
      expect(res.statusCode).toBe(c.status);
      expect(res.body).toBe('');
      expect(await h.counts()).toEqual(before);
      await stillServing();
    });
  }

  it('body over the cap → 413, nothing read further', async () => {
    const payload = Buffer.alloc(ENDPOINT_BODY_LIMIT + 1, 0x61);
    const res = await postRaw(h.app, payload);
    expect(res.statusCode).toBe(413);
    expect(res.body).toBe('');
    await stillServing();
  });

  it('a body just under the cap is read (and, being garbage, refused as malformed, not 413)', async () => {
    const res = await postRaw(h.app, Buffer.alloc(ENDPOINT_BODY_LIMIT - 10, 0x61));
    expect(res.statusCode).toBe(400);
  });

  it('unsupported content type → 415', async () => {
    const res = await postRaw(h.app, sealRequest(INIT).payload, APP_SECRET, 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.body).toBe('');
    await stillServing();
  });

  it('text/plain bodies are accepted like application/json', async () => {
    const req = sealRequest({ version: '3.0', action: 'ping' });
    const res = await postRaw(h.app, req.payload, APP_SECRET, 'text/plain');
    expect(res.statusCode).toBe(200);
    expect(req.open(res.body)).toEqual({ data: { status: 'active' } });
  });
});

describe('X-Hub-Signature-256', () => {
  it.each([
    ['missing', null],
    ['signed with another secret', 'wrong-secret'],
  ])('%s → 432 before anything is decrypted', async (_name, secret) => {
    const before = await h.counts();
    const res = await postRaw(h.app, sealRequest(INIT).payload, secret);
    expect(res.statusCode).toBe(432);
    expect(res.body).toBe('');
    expect(await h.counts()).toEqual(before);
    await stillServing();
  });

  it('a signature over different bytes (re-serialised JSON) → 432', async () => {
    const req = sealRequest(INIT);
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: JSON.stringify(req.body, null, 1), headers: req.headers });
    expect(res.statusCode).toBe(432);
  });

  it('a malformed header → 432', async () => {
    const req = sealRequest(INIT);
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: { ...req.headers, 'x-hub-signature-256': 'sha1=abc' } });
    expect(res.statusCode).toBe(432);
  });
});

describe('flow_token problems → 427 with an encrypted error_msg', () => {
  it('unknown token', async () => {
    const req = sealRequest({ ...INIT, flow_token: 'never-issued' });
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(427);
    expect(req.open(res.body)).toEqual({ error_msg: DEFAULT_TOKEN_MESSAGES.unknown });
  });

  it('missing token (some iOS builds)', async () => {
    const req = sealRequest({ version: '3.0', action: 'INIT' });
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(427);
    expect(req.open(res.body)).toEqual({ error_msg: DEFAULT_TOKEN_MESSAGES.unknown });
  });

  it('expired token', async () => {
    await h.insertSession('expired-token', { expiresInMs: -1000 });
    const req = sealRequest({ ...INIT, flow_token: 'expired-token' });
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(427);
    expect(req.open(res.body)).toEqual({ error_msg: DEFAULT_TOKEN_MESSAGES.expired });
  });

  it('replayed after completion: one submission, the replay gets 427', async () => {
    await h.insertSession('to-complete');
    const submit = { version: '3.0', action: 'data_exchange', screen: 'CONFIRM', flow_token: 'to-complete', data: {} };
    const first = sealRequest(submit);
    const res1 = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: first.payload, headers: first.headers });
    expect(res1.statusCode).toBe(200);
    expect(first.open(res1.body)).toEqual({ screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: 'to-complete', booked: true } } } });
    const before = await h.counts();
    // The same bytes again (a client retry), then a fresh encryption of the same request.
    const replay = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: first.payload, headers: first.headers });
    expect(replay.statusCode).toBe(427);
    expect(first.open(replay.body)).toEqual({ error_msg: DEFAULT_TOKEN_MESSAGES.completed });
    const again = sealRequest(submit);
    const res3 = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: again.payload, headers: again.headers });
    expect(res3.statusCode).toBe(427);
    expect(await h.counts()).toEqual(before);
    expect(before.submissions).toBe(1);
  });

  it('concurrent completions of one session store one submission', async () => {
    await h.insertSession('racing');
    const submit = { version: '3.0', action: 'data_exchange', screen: 'CONFIRM', flow_token: 'racing', data: {} };
    const reqs = Array.from({ length: 8 }, () => sealRequest(submit));
    const results = await Promise.all(reqs.map((r) => h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: r.payload, headers: r.headers })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 427, 427, 427, 427, 427, 427, 427]);
    const rows = await h.store.db.selectFrom('submissions').selectAll().where('flow_token', '=', 'racing').execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.response_json)).toEqual({ flow_token: 'racing', booked: true });
  });
});

describe('flow_token_signature (Data API 4.0)', () => {
  const base = { version: '4.0', action: 'INIT', flow_token: TOKEN };
  it.each([
    ['signed with another secret', () => signFlowToken({ flow_token: TOKEN }, 'not-the-app-secret')],
    ['for another token', () => signFlowToken({ flow_token: 'someone-else' }, APP_SECRET)],
    ['expired', () => signFlowToken({ flow_token: TOKEN, exp: Math.floor(Date.now() / 1000) - 3600 }, APP_SECRET)],
    ['not a JWT', () => 'garbage'],
  ])('%s → 432', async (_name, make) => {
    const req = sealRequest({ ...base, flow_token_signature: make() });
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(432);
    expect(res.body).toBe('');
  });

  it('a valid one is accepted', async () => {
    const req = sealRequest({ ...base, flow_token_signature: signFlowToken({ flow_token: TOKEN }, APP_SECRET) });
    const res = await h.app.inject({ method: 'POST', url: '/flows/endpoint', payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(200);
    expect(req.open(res.body)).toMatchObject({ screen: 'APPOINTMENT' });
  });
});
