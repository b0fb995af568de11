import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { stripAnnotations } from './fixture-loader.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';

describe('shared loopback server', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (): Promise<{ server: LoopbackServer; handled: string[] }> => {
    const handled: string[] = [];
    server = await startLoopbackServer({
      handle: (req) => {
        handled.push(req.body);
        return { status: 201, body: { got: req.body, q: req.query.get('q') } };
      },
      failureBody: (status) => ({ failed: status }),
    });
    return { server, handled };
  };

  it('records every request whole and answers with the handler', async () => {
    const { server: s, handled } = await start();
    const res = await fetch(`${s.url}/a%20b?q=1`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ got: 'hello', q: '1' });
    expect(s.requests.map((r) => [r.method, r.path, r.body])).toEqual([['POST', '/a%20b', 'hello']]);
    expect(handled).toEqual(['hello']);
  });

  it('a forced 429 carries Retry-After and the failure body, without reaching the handler', async () => {
    const { server: s, handled } = await start();
    s.failNext({ kind: 'status', status: 429, retryAfter: '7' }, 2);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(s.url);
      expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([429, '7', { failed: 429 }]);
    }
    expect((await fetch(s.url)).status).toBe(201);
    expect(handled).toHaveLength(1);
    expect(s.requests).toHaveLength(3);
  });

  it('a lost response is processed, then the connection dropped; failures can target a method or an index', async () => {
    const { server: s, handled } = await start();
    s.failNext({ kind: 'lost-response' }, 1, 'PUT');
    s.failRequest(1, { kind: 'status', status: 503 });
    expect((await fetch(s.url)).status).toBe(201);
    expect((await fetch(s.url)).status).toBe(503);
    await expect(fetch(s.url, { method: 'PUT', body: 'x' })).rejects.toThrow();
    expect(handled).toEqual(['', 'x']);
  });

  it('stripAnnotations drops every `_` key at any depth except those kept', () => {
    const noUnderscoreKeys = (v: unknown): boolean =>
      Array.isArray(v) ? v.every(noUnderscoreKeys) : v !== null && typeof v === 'object' ? Object.entries(v).every(([k, x]) => !k.startsWith('_') && noUnderscoreKeys(x)) : true;
    fc.assert(fc.property(fc.jsonValue(), (v) => noUnderscoreKeys(stripAnnotations(v))));
    expect(stripAnnotations({ _note: 1, _links: { a: 1 }, b: [{ _c: 2, d: 3 }] }, ['_links'])).toEqual({ _links: { a: 1 }, b: [{ d: 3 }] });
  });
});
