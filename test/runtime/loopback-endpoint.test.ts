import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createEndpointClient } from '../../src/core/runtime/endpoint/endpoint-client.js';
import { createWebFlowCrypto } from '../../src/core/runtime/endpoint/web-flow-crypto.js';
import { autoFill, createFlowRuntime } from '../../src/core/runtime/index.js';
import { fetchPost } from '../../src/whatsapp/http-post.js';
import { createNodeFlowCrypto } from '../../src/whatsapp/node-flow-crypto.js';
import { PUBLIC_KEY_FILE, signUpAnswer, signUpFlow, startLoopback, type Loopback } from './loopback-server.js';

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the runtime through a real encrypted loopback endpoint', () => {
  it.each([
    ['node crypto', createNodeFlowCrypto],
    ['WebCrypto', createWebFlowCrypto],
  ])('completes with %s', async (_name, makeCrypto) => {
    server = await startLoopback(signUpAnswer);
    const endpoint = createEndpointClient({ url: server.url, publicKeyPem: readFileSync(PUBLIC_KEY_FILE, 'utf8'), crypto: makeCrypto(), post: fetchPost, timeoutMs: 5000 });
    const rt = createFlowRuntime(signUpFlow, { flowToken: 'tok-loop', endpoint });
    if (typeof rt === 'string') throw new Error(rt);
    await rt.start();
    expect(rt.view().components[0]?.text).toBe('Join us');
    rt.setValue('email', 'ann@example.com');
    expect((await rt.press('footer')).ok).toBe(true);
    expect(rt.response).toEqual({ flow_token: 'tok-loop', email: 'ann@example.com' });
    expect(server.requests).toEqual([
      { version: '4.0', action: 'INIT', flow_token: 'tok-loop' },
      { version: '4.0', action: 'data_exchange', screen: 'FORM', data: { email: 'ann@example.com' }, flow_token: 'tok-loop' },
    ]);
  });

  it('auto-fill also completes, and a wrong key surfaces as a failure the user sees', async () => {
    server = await startLoopback(signUpAnswer);
    const endpoint = createEndpointClient({ url: server.url, publicKeyPem: readFileSync(PUBLIC_KEY_FILE, 'utf8'), crypto: createNodeFlowCrypto(), post: fetchPost });
    const rt = createFlowRuntime(signUpFlow, { flowToken: 't', endpoint });
    if (typeof rt === 'string') throw new Error(rt);
    await rt.start();
    expect((await autoFill(rt)).status).toBe('completed');
    expect(rt.response?.email).toBe('user@example.com');

    const { generateKeyPairSync } = await import('node:crypto');
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wrong = createEndpointClient({ url: server.url, publicKeyPem: otherKey, crypto: createNodeFlowCrypto(), post: fetchPost });
    const failing = createFlowRuntime(signUpFlow, { flowToken: 't', endpoint: wrong });
    if (typeof failing === 'string') throw new Error(failing);
    await failing.start();
    expect(failing.view()).toMatchObject({ status: 'failed', banner: { kind: 'error' } });
    expect(failing.events.some((e) => e.type === 'client-error' && e.error === 'key-refetch-failed')).toBe(true);
  });
});
