/**
 * The endpoint client (core, WebCrypto) with the fetch transport against a
 * real loopback node:http endpoint built on the project's server-side crypto:
 * every way an endpoint can answer (spec §2.6, §2.8).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, it, expect } from 'vitest';
import { createEndpointClient, type EndpointRequest } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { createWebFlowCrypto } from '../../src/core/runtime/endpoint/web-flow-crypto.js';
import { decryptFlowRequest, encryptFlowResponse, loadPrivateKey } from '../../src/whatsapp/flow-crypto.js';
import { FlowCryptoError } from '../../src/whatsapp/flow-crypto-error.js';
import { signBody, verifySignature } from '../../src/whatsapp/hub-signature.js';
import { fetchPost, nodeHttpPost } from '../../src/whatsapp/http-post.js';
import type { HttpPost } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { testKeys } from './crypto-fixtures.js';

type Mode = 'normal' | '427' | '500' | 'garbage' | 'slow' | 'schema';

const APP_SECRET = 'app-secret';
const oldPublicPem = testKeys.publicPem;
const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
const newPublicPem = rotated.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let server: Server;
let url = '';
let mode: Mode = 'normal';
let serverKeys: KeyObject[] = [];
let received: { status: number; action?: unknown }[] = [];

function answer(res: ServerResponse, status: number, text = ''): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
}

function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
  if (!verifySignature(raw, req.headers['x-hub-signature-256'] as string | undefined, [APP_SECRET])) {
    received.push({ status: 432 });
    return answer(res, 432);
  }
  let decrypted;
  try {
    decrypted = decryptFlowRequest(JSON.parse(raw.toString('utf8')), serverKeys);
  } catch (err) {
    const status = err instanceof FlowCryptoError ? err.status : 400;
    received.push({ status });
    return answer(res, status);
  }
  const request = decrypted.plaintext as EndpointRequest;
  const reply = (body: unknown) => encryptFlowResponse(body, decrypted.aesKey, decrypted.iv);
  received.push({ status: mode === '427' ? 427 : mode === '500' ? 500 : 200, action: request.action });
  switch (mode) {
    case '427':
      return answer(res, 427, reply({ error_msg: 'This form has expired. Ask us for a new link.' }));
    case '500':
      return answer(res, 500, 'Internal Server Error');
    case 'garbage':
      return answer(res, 200, '<html>hello</html>');
    case 'schema':
      return answer(res, 200, reply({ screen: 42 }));
    case 'slow':
      setTimeout(() => answer(res, 200, reply({ screen: 'LATE', data: {} })), 1500).unref();
      return;
    case 'normal':
      break;
  }
  if (request.action === 'ping') return answer(res, 200, reply({ data: { status: 'active' } }));
  if (request.action === 'INIT') return answer(res, 200, reply({ screen: 'APPOINTMENT', data: { token: request.flow_token } }));
  return answer(res, 200, reply({ screen: 'SUCCESS', data: { extension_message_response: { params: { flow_token: request.flow_token, ...request.data } } } }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/flow`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  mode = 'normal';
  serverKeys = [loadPrivateKey(testKeys.privatePem)];
  received = [];
});

const crypto = createWebFlowCrypto();
const sign = (secret: string) => (raw: string) => Promise.resolve(signBody(raw, secret));

/** A key source that hands out the given PEMs in turn (the last one repeatedly) and counts calls. */
function keySource(...pems: string[]) {
  let calls = 0;
  return { fetch: () => Promise.resolve(pems[Math.min(calls++, pems.length - 1)]!), calls: () => calls };
}

const init: EndpointRequest = { version: '3.0', action: 'INIT', flow_token: 'tok-ü' };
const submit: EndpointRequest = { version: '4.0', action: 'data_exchange', screen: 'SIGN_UP', flow_token: 'tok-1', data: { email: 'a@b.c' } };

/**
 * `repeats421`: fetch re-sends a request answered 421 once on a new
 * connection (Fetch standard), so the endpoint sees each attempt twice.
 */
const transports: { name: string; post: HttpPost; repeats421: boolean }[] = [
  { name: 'nodeHttpPost', post: nodeHttpPost, repeats421: false },
  { name: 'fetchPost', post: fetchPost, repeats421: true },
];

for (const transport of transports) {
  function client(opts: { keys?: () => Promise<string>; secret?: string; timeoutMs?: number; at?: string } = {}) {
    return createEndpointClient({
      url: opts.at ?? url,
      publicKeyPem: opts.keys ?? oldPublicPem,
      crypto,
      post: transport.post,
      sign: sign(opts.secret ?? APP_SECRET),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  }

  const each421 = (n: number): number[] => Array<number>(transport.repeats421 ? 2 * n : n).fill(421);

  describe(`endpoint client over loopback HTTP (${transport.name})`, () => {
    it('200: screen, completion and ping ack', async () => {
      const c = client();
      expect(await c.send(init)).toEqual({ kind: 'screen', screen: 'APPOINTMENT', data: { token: 'tok-ü' } });
      expect(await c.send(submit)).toEqual({ kind: 'complete', params: { flow_token: 'tok-1', email: 'a@b.c' } });
      expect(await c.send({ version: '3.0', action: 'ping' })).toEqual({ kind: 'ack' });
      expect(received.map((r) => r.status)).toEqual([200, 200, 200]);
    });

    it('421 then 200: after a key rotation the client re-fetches the key and retries exactly once', async () => {
      serverKeys = [loadPrivateKey(rotated.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())];
      const keys = keySource(oldPublicPem, newPublicPem);
      expect(await client({ keys: keys.fetch }).send(init)).toMatchObject({ kind: 'screen', screen: 'APPOINTMENT' });
      expect(received.map((r) => r.status)).toEqual([...each421(1), 200]);
      expect(keys.calls()).toBe(2);
    });

    it('421 twice: key-refetch-failed after exactly one retry', async () => {
      serverKeys = [rotated.privateKey];
      const keys = keySource(oldPublicPem);
      const reply = await client({ keys: keys.fetch }).send(init);
      expect(reply).toMatchObject({ kind: 'failure', reason: 'key-refetch-failed', status: 421 });
      expect(received.map((r) => r.status)).toEqual(each421(2));
      expect(keys.calls()).toBe(2);
    });

    it('427: token-invalid with the decrypted error_msg shown to the user', async () => {
      mode = '427';
      expect(await client().send(submit)).toMatchObject({
        kind: 'failure',
        reason: 'token-invalid',
        status: 427,
        userMessage: 'This form has expired. Ask us for a new link.',
      });
    });

    it('432: a request signed with the wrong app secret is rejected', async () => {
      expect(await client({ secret: 'not-the-secret' }).send(init)).toMatchObject({ kind: 'failure', reason: 'signature-rejected', status: 432 });
      expect(received).toEqual([{ status: 432 }]);
    });

    it('500 → http-status; garbage → garbage; wrong shape → schema', async () => {
      mode = '500';
      expect(await client().send(init)).toMatchObject({ reason: 'http-status', status: 500 });
      mode = 'garbage';
      expect(await client().send(init)).toMatchObject({ reason: 'garbage' });
      mode = 'schema';
      expect(await client().send(init)).toMatchObject({ reason: 'schema' });
    });

    it('a slow endpoint times out', async () => {
      mode = 'slow';
      const started = Date.now();
      expect(await client({ timeoutMs: 150 }).send(init)).toMatchObject({ kind: 'failure', reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1200);
    });

    it('a closed port is a network failure', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await client({ at: `http://127.0.0.1:${port}/flow` }).send(init)).toMatchObject({ reason: 'network' });
    });
  });
}
