import { createHash } from 'node:crypto';
import { describe, it, expect, afterEach } from 'vitest';
import { createGraphClient } from '../../src/whatsapp/graph/create-graph-client.js';
import { isGraphError, type GraphError } from '../../src/whatsapp/graph/graph-error.js';
import { PHONE, publicKeyPem, publishedFlow, rejection, startHarness, TOKEN, WABA, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('business public key', () => {
  it('uploads, reads back with VALID, reports MISMATCH after re-registration, and replaces on upload', async () => {
    h = await startHarness();
    expect(await h.graph.getBusinessPublicKey()).toBeUndefined();
    const pem = publicKeyPem();
    expect(await h.graph.uploadBusinessPublicKey(pem)).toEqual({ success: true });
    expect(await h.graph.getBusinessPublicKey()).toEqual({ publicKey: pem, signatureStatus: 'VALID' });
    h.emulator.invalidateKeySignature();
    expect((await h.graph.getBusinessPublicKey())?.signatureStatus).toBe('MISMATCH');
    const next = publicKeyPem();
    await h.graph.uploadBusinessPublicKey(next);
    expect(await h.graph.getBusinessPublicKey()).toEqual({ publicKey: next, signatureStatus: 'VALID' });
  });

  it('refuses keys that are not 2048-bit RSA PEM (100)', async () => {
    h = await startHarness();
    for (const bad of ['not a key', publicKeyPem(1024)]) {
      const err = (await rejection(h.graph.uploadBusinessPublicKey(bad))) as GraphError;
      expect([err.graphCode, err.retryable]).toEqual([100, false]);
      expect(err.graphDetails).toMatch(/2048-bit RSA/);
    }
  });
});

describe('media', () => {
  it('gives a URL whose authenticated download returns the bytes and hash', async () => {
    h = await startHarness();
    const bytes = new Uint8Array([1, 2, 3, 250, 251]);
    const id = h.emulator.addMedia(bytes, 'image/jpeg');
    const info = await h.graph.getMedia(id);
    expect(info).toMatchObject({ id, mimeType: 'image/jpeg', fileSize: 5, sha256: createHash('sha256').update(bytes).digest('hex') });
    const download = await h.graph.downloadMedia(info.url);
    expect([...download.bytes]).toEqual([...bytes]);
    expect(download.contentType).toBe('image/jpeg');
    // without the token the URL is refused
    expect((await fetch(info.url)).status).toBe(400);
    h.advance(5 * 60 * 1000 + 1);
    expect(isGraphError(await rejection(h.graph.downloadMedia(info.url)))).toBe(true);
    expect(isGraphError(await rejection(h.graph.getMedia('4242')), 100)).toBe(true);
  });
});

describe('phone number', () => {
  it('reads the throughput level from the configured rate', async () => {
    h = await startHarness();
    expect(await h.graph.getThroughput()).toEqual({ level: 'STANDARD' });
    await h.close();
    h = await startHarness({ mps: 1000 });
    expect(await h.graph.getThroughput()).toEqual({ level: 'HIGH' });
  });
});

describe('authentication and transports', () => {
  it('refuses a wrong token (190) and a missing one (104)', async () => {
    h = await startHarness();
    const wrong = createGraphClient({ baseUrl: h.url, version: 'v23.0', accessToken: 'nope', wabaId: WABA });
    const err = (await rejection(wrong.listFlows())) as GraphError;
    expect([err.graphCode, err.httpStatus, err.kind]).toEqual([190, 401, 'auth']);
    const res = await fetch(`${h.url}/v23.0/${WABA}/flows`);
    const body = (await res.json()) as any;
    expect(res.status).toBe(400);
    expect(body.error.code).toBe(104);
  });

  it('accepts the token from a Secret-like object', async () => {
    h = await startHarness({}, { accessToken: { reveal: () => TOKEN } });
    expect((await h.graph.listFlows()).data).toEqual([]);
  });

  it('speaks the 360dialog-style transport: API-key header, no version, phone-scoped paths without the id', async () => {
    h = await startHarness({ apiKeyHeader: 'D360-API-KEY' });
    const flowId = await publishedFlow(h, 'f');
    const seen: string[] = [];
    const d360 = createGraphClient({
      baseUrl: h.url, version: 'ignored', accessToken: TOKEN, transport: '360dialog-style', phoneNumberId: PHONE, wabaId: WABA,
      fetch: async (input, init) => {
        seen.push(`${init?.method} ${new URL(input instanceof Request ? input.url : input.toString()).pathname} ${JSON.stringify(Object.keys(init?.headers ?? {}))}`);
        return fetch(input, init);
      },
    });
    h.emulator.receiveInbound('15551230009');
    const sent = await d360.sendFlowMessage({ to: '15551230009', flow: { id: flowId }, cta: 'Open', body: 'Hi' });
    expect(sent.wamid).toMatch(/^wamid\./);
    await d360.uploadBusinessPublicKey(publicKeyPem());
    expect((await d360.getBusinessPublicKey())?.signatureStatus).toBe('VALID');
    expect(seen[0]).toBe('POST /messages ["D360-API-KEY","accept","content-type"]');
    expect(seen.every((s) => !s.includes('authorization'))).toBe(true);
    const wrongKey = createGraphClient({ baseUrl: h.url, version: 'x', accessToken: 'bad', transport: '360dialog-style', phoneNumberId: PHONE });
    expect(isGraphError(await rejection(wrongKey.sendText('15551230009', 'x')), 190)).toBe(true);
  });

  it('turns network failures and timeouts into retryable errors with HTTP status 0', async () => {
    const down = createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0', accessToken: TOKEN, wabaId: WABA });
    const err = (await rejection(down.listFlows())) as GraphError;
    expect([err.httpStatus, err.retryable, err.kind]).toEqual([0, true, 'transient']);
    const slow = createGraphClient({
      baseUrl: 'http://127.0.0.1:9', version: 'v23.0', accessToken: TOKEN, wabaId: WABA, timeoutMs: 50,
      fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error))),
    });
    const timeout = (await rejection(slow.listFlows())) as GraphError;
    expect(timeout.message).toMatch(/timed out/);
    expect(timeout.retryable).toBe(true);
  });

  it('rejects a 2xx reply of the wrong shape', async () => {
    const odd = createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0', accessToken: TOKEN, wabaId: WABA, fetch: () => Promise.resolve(new Response('{"hello":1}')) });
    const err = (await rejection(odd.listFlows())) as GraphError;
    expect([err.retryable, err.httpStatus]).toEqual([false, 200]);
    expect(err.message).toMatch(/documented shape/);
  });

  it('needs the ids it uses', async () => {
    const bare = createGraphClient({ baseUrl: 'http://127.0.0.1:9', version: 'v23.0', accessToken: TOKEN });
    await expect(bare.listFlows()).rejects.toThrow(/wabaId/);
    await expect(bare.sendText('15551230000', 'x')).rejects.toThrow(/phoneNumberId/);
  });
});
