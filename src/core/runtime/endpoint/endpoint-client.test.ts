import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { createEndpointClient, DEFAULT_ENDPOINT_TIMEOUT_MS, type HttpPost } from './endpoint-client.js';
import type { EndpointRequest } from './endpoint-reply.js';
import { GENERIC_ERROR_MESSAGE } from './endpoint-reply.js';
import type { FlowCrypto } from './flow-crypto.js';

/**
 * A transparent stand-in for the crypto, so these tests are about the
 * client's reactions; real encryption is covered in test/crypto.
 * "Encrypted" request = JSON of {pem, plaintext}; reply = "enc:" + JSON.
 */
const fakeCrypto: FlowCrypto = {
  encryptRequest(plaintext, pem) {
    if (pem === 'bad-key') return Promise.reject(new Error('unusable key'));
    const text = JSON.stringify({ pem, plaintext });
    return Promise.resolve({
      body: { encrypted_flow_data: text, encrypted_aes_key: 'k', initial_vector: 'i' },
      session: { aesKey: new Uint8Array(16), iv: new Uint8Array(16) },
    });
  },
  decryptResponse(b64) {
    if (!b64.startsWith('enc:')) return Promise.reject(new Error('not encrypted'));
    try {
      return Promise.resolve(JSON.parse(b64.slice(4)) as unknown);
    } catch {
      return Promise.reject(new Error('not json'));
    }
  },
};

const enc = (v: unknown): string => `enc:${JSON.stringify(v)}`;
const request: EndpointRequest = { version: '3.0', action: 'data_exchange', screen: 'A', flow_token: 't', data: { x: 1 } };

interface Call {
  url: string;
  pem: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** A post that answers from a script, one entry per call, and records what it was sent. */
function scripted(...answers: (((call: Call) => Promise<{ status: number; text: string }>) | { status: number; text: string })[]) {
  const calls: Call[] = [];
  const post: HttpPost = (url, body, headers, timeoutMs) => {
    const outer = JSON.parse(body) as { encrypted_flow_data: string };
    const call = { url, pem: (JSON.parse(outer.encrypted_flow_data) as { pem: string }).pem, headers, timeoutMs };
    calls.push(call);
    const a = answers[calls.length - 1];
    if (!a) return Promise.reject(new Error('unexpected extra request'));
    return typeof a === 'function' ? a(call) : Promise.resolve(a);
  };
  return { post, calls };
}

function keySource(...pems: string[]) {
  let n = 0;
  const fn = () => {
    const pem = pems[Math.min(n, pems.length - 1)];
    n++;
    return pem === 'reject' || pem === undefined ? Promise.reject(new Error('key store down')) : Promise.resolve(pem);
  };
  return { fn, count: () => n };
}

describe('createEndpointClient', () => {
  it('sends JSON with the default 10 s timeout and reads a screen reply', async () => {
    const { post, calls } = scripted({ status: 200, text: enc({ screen: 'B', data: { y: 2 } }) });
    const client = createEndpointClient({ url: 'https://e.example/flow', publicKeyPem: 'K1', crypto: fakeCrypto, post });
    expect(await client.send(request)).toEqual({ kind: 'screen', screen: 'B', data: { y: 2 } });
    expect(calls).toEqual([{ url: 'https://e.example/flow', pem: 'K1', headers: { 'Content-Type': 'application/json' }, timeoutMs: DEFAULT_ENDPOINT_TIMEOUT_MS }]);
  });

  it('signs the raw body when a signer is given', async () => {
    const { post, calls } = scripted({ status: 200, text: `${enc({ data: { status: 'active' } })}\n` });
    const sign = (raw: string) => Promise.resolve(`sha256=${raw.length}`);
    const client = createEndpointClient({ url: 'u', publicKeyPem: 'K1', crypto: fakeCrypto, post, sign });
    expect(await client.send({ version: '3.0', action: 'ping' })).toEqual({ kind: 'ack' });
    expect(calls[0]!.headers['X-Hub-Signature-256']).toMatch(/^sha256=\d+$/);
  });

  it('421 → re-fetches the key and retries exactly once', async () => {
    const keys = keySource('K1', 'K2');
    const { post, calls } = scripted({ status: 421, text: '' }, { status: 200, text: enc({ screen: 'B', data: {} }) });
    const client = createEndpointClient({ url: 'u', publicKeyPem: keys.fn, crypto: fakeCrypto, post });
    expect(await client.send(request)).toMatchObject({ kind: 'screen', screen: 'B' });
    expect(calls.map((c) => c.pem)).toEqual(['K1', 'K2']);
    expect(keys.count()).toBe(2);
  });

  it('421 twice → key-refetch-failed after exactly two requests; the re-fetched key is kept', async () => {
    const keys = keySource('K1', 'K2', 'K3');
    const { post, calls } = scripted({ status: 421, text: '' }, { status: 421, text: '' }, { status: 200, text: enc({ screen: 'B' }) });
    const client = createEndpointClient({ url: 'u', publicKeyPem: keys.fn, crypto: fakeCrypto, post });
    expect(await client.send(request)).toMatchObject({ kind: 'failure', reason: 'key-refetch-failed', status: 421, userMessage: GENERIC_ERROR_MESSAGE });
    expect(calls).toHaveLength(2);
    expect(await client.send(request)).toMatchObject({ kind: 'screen' });
    expect(calls.map((c) => c.pem)).toEqual(['K1', 'K2', 'K2']);
  });

  it('a key source that fails → key-refetch-failed, and is asked again next time', async () => {
    const keys = keySource('reject', 'K1', 'reject');
    const { post, calls } = scripted({ status: 421, text: '' });
    const client = createEndpointClient({ url: 'u', publicKeyPem: keys.fn, crypto: fakeCrypto, post });
    expect(await client.send(request)).toMatchObject({ reason: 'key-refetch-failed' });
    expect(calls).toHaveLength(0);
    expect(await client.send(request)).toMatchObject({ reason: 'key-refetch-failed' });
    expect(calls).toHaveLength(1);
    expect(keys.count()).toBe(3);
    const bad = createEndpointClient({ url: 'u', publicKeyPem: 'bad-key', crypto: fakeCrypto, post });
    expect(await bad.send(request)).toMatchObject({ reason: 'key-refetch-failed' });
  });

  it('427 → token-invalid showing the business message, encrypted or plain', async () => {
    const { post } = scripted(
      { status: 427, text: enc({ error_msg: 'This form has expired.' }) },
      { status: 427, text: '{"error_msg":"Order already placed"}' },
      { status: 427, text: '' },
    );
    const client = createEndpointClient({ url: 'u', publicKeyPem: 'K', crypto: fakeCrypto, post });
    expect(await client.send(request)).toMatchObject({ reason: 'token-invalid', status: 427, userMessage: 'This form has expired.' });
    expect(await client.send(request)).toMatchObject({ reason: 'token-invalid', userMessage: 'Order already placed' });
    expect(await client.send(request)).toMatchObject({ reason: 'token-invalid', userMessage: GENERIC_ERROR_MESSAGE });
  });

  it('432, other statuses, garbage and wrong shapes', async () => {
    const { post } = scripted(
      { status: 432, text: '' },
      { status: 500, text: 'oops' },
      { status: 200, text: 'not encrypted' },
      { status: 200, text: 'enc:{nope' },
      { status: 200, text: enc(['screen']) },
    );
    const client = createEndpointClient({ url: 'u', publicKeyPem: 'K', crypto: fakeCrypto, post });
    expect(await client.send(request)).toMatchObject({ reason: 'signature-rejected', status: 432 });
    expect(await client.send(request)).toMatchObject({ reason: 'http-status', status: 500 });
    expect(await client.send(request)).toMatchObject({ reason: 'garbage' });
    expect(await client.send(request)).toMatchObject({ reason: 'garbage' });
    expect(await client.send(request)).toMatchObject({ reason: 'schema' });
  });

  it('timeouts (reported by the transport or by the client itself) and network errors', async () => {
    const timeoutError = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    const { post, calls } = scripted(
      () => Promise.reject(timeoutError),
      () => new Promise(() => undefined),
      () => Promise.reject(new Error('ECONNREFUSED')),
    );
    const client = createEndpointClient({ url: 'u', publicKeyPem: 'K', crypto: fakeCrypto, post, timeoutMs: 30 });
    expect(await client.send(request)).toMatchObject({ reason: 'timeout' });
    const started = Date.now();
    expect(await client.send(request)).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await client.send(request)).toMatchObject({ reason: 'network', detail: expect.stringContaining('ECONNREFUSED') });
    expect(calls.every((c) => c.timeoutMs === 30)).toBe(true);
  });

  it('never rejects, even when the signer throws', async () => {
    const { post } = scripted({ status: 200, text: enc({ screen: 'B' }) });
    const sign = () => Promise.reject(new Error('no secret'));
    const client = createEndpointClient({ url: 'u', publicKeyPem: 'K', crypto: fakeCrypto, post, sign });
    expect(await client.send(request)).toMatchObject({ kind: 'failure', reason: 'network' });
  });

  it('never rejects: any status and body yields a reply, failures keep the status (property)', async () => {
    const text = fc.oneof(fc.string(), fc.jsonValue().map(enc), fc.constant(enc({ screen: 'B', data: {} })));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 100, max: 599 }), text, async (status, body) => {
        const post: HttpPost = () => Promise.resolve({ status, text: body });
        const reply = await createEndpointClient({ url: 'u', publicKeyPem: 'K', crypto: fakeCrypto, post }).send(request);
        expect(['screen', 'complete', 'ack', 'failure']).toContain(reply.kind);
        if (status !== 200) expect(reply).toMatchObject({ kind: 'failure', status });
      }),
      { numRuns: 300 },
    );
  });
});
