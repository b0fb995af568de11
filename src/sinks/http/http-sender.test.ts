/**
 * The two senders (undici `request()` and the adapter over global fetch)
 * against real loopback servers: the same outcomes for the same answers,
 * so a sink behaves alike whichever the context carries.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fetchSender, senderOf, TIMEOUT_REASON, type HttpSender } from './http-sender.js';
import { closeSharedHttpSender, createUndiciSender, sharedHttpSender } from './undici-sender.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

const servers: Array<ReturnType<typeof createServer>> = [];
async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handler(req, res, s);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A port nothing listens on (a server bound, then closed). */
async function refusedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

const undici = createUndiciSender();
afterAll(() => undici.close());
const senders: Array<[string, HttpSender]> = [['undici request()', undici], ['fetch adapter', fetchSender(globalThis.fetch)]];
const SECRET_HEADER = 'Bearer s3cret-token-value';
const SECRET_QUERY = 'q-secret-value';

describe.each(senders)('%s', (_name, sender) => {
  it('a destination that never answers times out into a retry with the timeout reason', async () => {
    const { url } = await serve(() => undefined);
    const started = Date.now();
    const out = await sender.send({ method: 'POST', url, body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 150 });
    expect(out).toEqual({ kind: 'failed', outcome: { kind: 'retry', reason: TIMEOUT_REASON } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a body that stops half-way also times out (the deadline covers reading it)', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    expect(await sender.send({ method: 'GET', url, timeoutMs: 200 })).toEqual({ kind: 'failed', outcome: { kind: 'retry', reason: TIMEOUT_REASON } });
  });

  it('a refused connection is a retry naming the code, without headers or the query', async () => {
    const base = await refusedUrl();
    const out = await sender.send({ method: 'POST', url: `${base}/hook?key=${SECRET_QUERY}`, headers: { authorization: SECRET_HEADER, 'content-type': 'application/json' }, body: '{}' });
    expect(out.kind).toBe('failed');
    const reason = out.kind === 'failed' && out.outcome.kind === 'retry' ? out.outcome.reason : '';
    expect(reason).toMatch(/^Network error \(ECONNREFUSED\): /);
    expect(reason).not.toContain('s3cret');
    expect(reason).not.toContain(SECRET_QUERY);
  });

  it('a 503 with Retry-After comes back with its status, body text and header', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': '7', 'x-limit-reset': '30', 'content-type': 'text/plain' }).end('down for maintenance');
    });
    const out = await sender.send({ method: 'POST', url: `${url}/hook?a=1`, headers: { 'content-type': 'application/json', 'X-Extra': 'yes' }, body: '{"a":1}' });
    expect(out).toMatchObject({ kind: 'response', status: 503, text: 'down for maintenance', retryAfter: '7' });
    expect(out.kind === 'response' && out.header('X-Limit-Reset')).toBe('30');
    expect(out.kind === 'response' && out.header('location')).toBeNull();
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook?a=1', body: '{"a":1}' });
    expect(seen[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-extra': 'yes', accept: '*/*', 'user-agent': 'node' });
  });

  it('reads a large body fully, and a string body without a type goes out as text/plain', async () => {
    const big = 'x'.repeat(1_000_000);
    const { url, seen } = await serve((_req, res) => res.writeHead(200).end(big));
    const out = await sender.send({ method: 'PUT', url, body: 'plain' });
    expect(out.kind === 'response' && out.text.length).toBe(big.length);
    expect(seen[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('a connection dropped before an answer is a retry naming the code', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    const out = await sender.send({ method: 'POST', url, headers: { authorization: SECRET_HEADER }, body: 'x' });
    expect(out).toMatchObject({ kind: 'failed', outcome: { kind: 'retry', reason: expect.stringMatching(/^Network error \((UND_ERR_SOCKET|ECONNRESET)\)/) } });
    expect(JSON.stringify(out)).not.toContain('s3cret');
  });

  it('a header value the client refuses to send never appears in the reason', async () => {
    const { url } = await serve((_req, res) => res.end('ok'));
    const out = await sender.send({ method: 'POST', url, headers: { authorization: `${SECRET_HEADER}\r\nx-injected: 1` }, body: 'x' });
    expect(out.kind).toBe('failed');
    expect(JSON.stringify(out)).not.toContain('s3cret');
  });

  it('follows a redirect by default (a 302 POST becomes a GET) and returns it as is with manual', async () => {
    const { url, seen } = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.writeHead(200).end(`at ${req.url ?? ''}`);
    });
    expect(await sender.send({ method: 'POST', url: `${url}/old`, body: 'x', headers: { 'content-type': 'text/plain' } })).toMatchObject({ kind: 'response', status: 200, text: 'at /new' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /old', 'GET /new']);
    const manual = await sender.send({ method: 'POST', url: `${url}/old`, body: 'x', redirect: 'manual' });
    expect(manual).toMatchObject({ kind: 'response', status: 302 });
    expect(manual.kind === 'response' && manual.header('location')).toBe('/new');
  });

  it('sends a FormData body as multipart', async () => {
    const { url, seen } = await serve((_req, res) => res.end('{}'));
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])], { type: 'application/pdf' }), 'id.pdf');
    form.append('folderPath', '/flowbridge/sub-1');
    expect(await sender.send({ method: 'POST', url, body: form })).toMatchObject({ kind: 'response', status: 200 });
    expect(seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen[0]?.body).toContain('filename="id.pdf"');
    expect(seen[0]?.body).toContain('/flowbridge/sub-1');
  });
});

describe('senderOf', () => {
  it("uses the context's sender when it has one, else one adapter per fetch function", async () => {
    expect(senderOf({ fetch: globalThis.fetch, http: undici })).toBe(undici);
    const calls: string[] = [];
    const fake: typeof fetch = (input) => {
      calls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return Promise.resolve(new Response('ok', { status: 201 }));
    };
    const adapter = senderOf({ fetch: fake });
    expect(senderOf({ fetch: fake })).toBe(adapter);
    expect(await adapter.send({ method: 'GET', url: 'http://example.test/x' })).toMatchObject({ kind: 'response', status: 201, text: 'ok' });
    expect(calls).toEqual(['http://example.test/x']);
  });
});

describe('the process-wide sender', () => {
  it('closes its connections at shutdown and opens a new pool when used again', async () => {
    const { url, seen } = await serve((_req, res) => res.end('ok'));
    const first = sharedHttpSender();
    expect(await first.send({ method: 'GET', url })).toMatchObject({ kind: 'response', status: 200, text: 'ok' });
    await closeSharedHttpSender();
    // The closed pool refuses work; the next caller gets a fresh one.
    expect(await first.send({ method: 'GET', url })).toMatchObject({ kind: 'failed' });
    const second = sharedHttpSender();
    expect(second).not.toBe(first);
    expect(await second.send({ method: 'GET', url })).toMatchObject({ kind: 'response', status: 200 });
    expect(seen).toHaveLength(2);
    await closeSharedHttpSender();
  });

  it('refuses work after being closed before its first request', async () => {
    const { url, seen } = await serve((_req, res) => res.end('ok'));
    const sender = createUndiciSender();
    await sender.close();
    expect(await sender.send({ method: 'GET', url })).toMatchObject({ kind: 'failed' });
    expect(seen).toHaveLength(0);
  });
});
