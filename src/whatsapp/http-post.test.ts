import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import type { HttpPost } from '../core/runtime/endpoint/endpoint-client.js';
import { fetchPost, MAX_REPLY_BYTES, nodeHttpPost } from './http-post.js';

let server: Server;
let base = '';
let seen: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1000).unref();
      if (req.url === '/huge') return void res.end(Buffer.alloc(MAX_REPLY_BYTES + 1, 0x41));
      res.writeHead(req.url === '/teapot' ? 418 : 200, { 'Content-Type': 'text/plain' }).end(`echo:${seen.at(-1)!.body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const posts: [string, HttpPost][] = [
  ['nodeHttpPost', nodeHttpPost],
  ['fetchPost', fetchPost],
];

for (const [name, post] of posts) {
  describe(name, () => {
    it('posts the body with the given headers and returns any status with the text', async () => {
      seen = [];
      const body = '{"name":"Zoë"}';
      expect(await post(`${base}/teapot`, body, { 'Content-Type': 'application/json', 'X-Hub-Signature-256': 'sha256=ab' }, 2000)).toEqual({
        status: 418,
        text: `echo:${body}`,
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['content-type']).toBe('application/json');
      expect(seen[0]!.headers['x-hub-signature-256']).toBe('sha256=ab');
      expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    });

    it('rejects with a TimeoutError when the endpoint is slow', async () => {
      const started = Date.now();
      await expect(post(`${base}/slow`, '{}', {}, 100)).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(900);
    });
  });
}

describe('nodeHttpPost limits', () => {
  it('refuses oversized replies and non-http URLs', async () => {
    await expect(nodeHttpPost(`${base}/huge`, '{}', {}, 5000)).rejects.toThrow(/larger than/);
    await expect(nodeHttpPost('ftp://example.com/x', '{}', {}, 1000)).rejects.toThrow(/not http/);
    await expect(nodeHttpPost('not a url', '{}', {}, 1000)).rejects.toThrow(/valid absolute URL/);
  });
});
