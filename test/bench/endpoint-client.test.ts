/**
 * The endpoint bench's HTTP/1.1 client (bench/endpoint-client.ts) against a
 * real node:http server: a misread answer would make the bench's figures
 * wrong without any failure, so what it reads and what it refuses is tested.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection, parseHead, serialiseRequest } from '../../bench/endpoint-client.js';

let server: Server | undefined;
afterEach(async () => { await new Promise((r) => server?.close(r) ?? r(undefined)); server = undefined; });

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: URL; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString()));
  });
  server.on('connection', () => { connections += 1; });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/flows/endpoint`), connections: () => connections };
}

/** Answer with a Content-Length, as Fastify does (node:http's writeHead + end would send chunked). */
function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) }).end(body);
}

describe('the bench client', () => {
  it('sends requests as serialised and reads answers over one keep-alive connection', async () => {
    const seen: string[] = [];
    const { url, connections } = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${String(req.headers['x-hub-signature-256'])} ${String(req.headers['content-type'])} ${body}`);
      answer(res, body === 'shed' ? 503 : 200, body === 'shed' ? '' : `echo:${body}`, { 'content-type': 'text/plain' });
    });
    const conn = new Connection(url);
    const answers = [];
    for (const payload of ['{"a":1}', 'shed', 'ünïcode']) {
      answers.push(await conn.send(serialiseRequest(url, { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=ab' }, payload)));
    }
    expect(answers).toEqual([{ status: 200, body: 'echo:{"a":1}' }, { status: 503, body: '' }, { status: 200, body: Buffer.from('echo:ünïcode').toString('latin1') }]);
    expect(seen).toEqual(['{"a":1}', 'shed', 'ünïcode'].map((b) => `POST /flows/endpoint sha256=ab application/json ${b}`));
    expect(connections()).toBe(1);
    expect(conn.usable).toBe(true);
    conn.destroy();
  });

  it('reads an answer that arrives in pieces', async () => {
    const { url } = await serve((_req, res) => {
      res.socket?.write('HTTP/1.1 200 OK\r\ncontent-le');
      setTimeout(() => res.socket?.write('ngth: 10\r\n\r\n01234'), 20);
      setTimeout(() => res.socket?.write('56789'), 40);
    });
    const conn = new Connection(url);
    expect(await conn.send(serialiseRequest(url, {}, 'x'))).toEqual({ status: 200, body: '0123456789' });
    conn.destroy();
  });

  it('marks the connection spent after `connection: close`', async () => {
    const { url } = await serve((_req, res) => { answer(res, 200, 'bye', { connection: 'close' }); });
    const conn = new Connection(url);
    expect(await conn.send(serialiseRequest(url, {}, 'x'))).toEqual({ status: 200, body: 'bye' });
    expect(conn.usable).toBe(false);
    await expect(conn.send(serialiseRequest(url, {}, 'x'))).rejects.toThrow(/not usable/);
  });

  it('refuses a chunked answer instead of misreading it', async () => {
    const { url } = await serve((_req, res) => { res.write('part'); res.end('rest'); });
    const conn = new Connection(url);
    await expect(conn.send(serialiseRequest(url, {}, 'x'))).rejects.toThrow(/malformed/);
    expect(conn.usable).toBe(false);
  });

  it('fails a request whose connection closes before the answer', async () => {
    const { url } = await serve((req) => { req.socket.destroy(); });
    const conn = new Connection(url);
    await expect(conn.send(serialiseRequest(url, {}, 'x'))).rejects.toThrow(/closed|failed/);
  });
});

describe('parseHead', () => {
  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((n) => !['content-length', 'transfer-encoding', 'connection'].includes(n));
  const value = fc.stringMatching(/^[ -~]{0,30}$/).map((v) => v.trim());

  it('reads status, length and close from any well-formed head', () => {
    fc.assert(fc.property(
      fc.integer({ min: 100, max: 599 }), fc.nat(1e7), fc.boolean(), fc.array(fc.tuple(token, value), { maxLength: 8 }), fc.boolean(),
      (status, length, close, others, upper) => {
        const lines = [`HTTP/1.1 ${status} Whatever`, ...others.map(([n, v]) => `${n}: ${v}`), `${upper ? 'Content-Length' : 'content-length'}: ${length}`];
        if (close) lines.splice(1, 0, `Connection: ${upper ? 'Close' : 'close'}`);
        expect(parseHead(lines.join('\r\n'))).toEqual({ status, length, close });
      },
    ));
  });

  it('refuses a head without a length, with a chunked body, a bad status line or a line without a colon', () => {
    expect(parseHead('HTTP/1.1 200 OK\r\ncontent-type: text/plain')).toBeUndefined();
    expect(parseHead('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 3')).toBeUndefined();
    expect(parseHead('HTTP/2 200\r\ncontent-length: 3')).toBeUndefined();
    expect(parseHead('HTTP/1.1 200 OK\r\ncontent-length: 3\r\nbroken line')).toBeUndefined();
    expect(parseHead('HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4')).toBeUndefined();
    expect(parseHead('HTTP/1.1 200 OK\r\ncontent-length: -3')).toBeUndefined();
  });
});
