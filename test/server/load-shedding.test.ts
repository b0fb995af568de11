import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_PATH } from '../../src/server/flow-endpoint-route.js';
import { registerLoadShedding, type LoadShedder, type LoadSheddingOptions } from '../../src/server/load-shedding.js';
import { pino } from 'pino';
import { buildApp } from '../../src/server/app.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import type { SessionService } from '../../src/services/sessions.js';
import { privateKey, sealRequest } from './server-harness.js';

/** A server whose endpoint handler waits until `release()`; `entered` counts handler starts. */
async function gatedServer(options: LoadSheddingOptions, logLines?: string[]) {
  const app = (logLines === undefined ? Fastify() : Fastify({ loggerInstance: pino({ level: 'warn' }, { write: (line: string) => { logLines.push(line); } }) })) as unknown as FastifyInstance;
  const shedder: LoadShedder = registerLoadShedding(app, options);
  const waiting: Array<() => void> = [];
  let entered = 0;
  app.post(ENDPOINT_PATH, async () => {
    entered += 1;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return 'done';
  });
  app.get('/healthz', () => 'ok');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
  return {
    app, shedder, url,
    entered: () => entered,
    release: () => { for (const r of waiting.splice(0)) r(); },
    post: (signal?: AbortSignal) => fetch(`${url}${ENDPOINT_PATH}`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' }, ...(signal === undefined ? {} : { signal }) }),
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

const open: FastifyInstance[] = [];
afterEach(async () => { for (const a of open.splice(0)) await a.close(); });

describe('load shedding', () => {
  it('refuses the request past the in-flight limit with an immediate empty 503, and admits again once a slot frees', async () => {
    const s = await gatedServer({ maxInFlight: 2, maxEventLoopLagMs: 0 });
    open.push(s.app);
    const first = [s.post(), s.post()];
    await until(() => s.entered() === 2);
    expect(s.shedder.inFlight()).toBe(2);
    const started = performance.now();
    const refused = await s.post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.text()).toBe('');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(s.entered()).toBe(2);
    expect(s.shedder.shed()).toBe(1);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    s.release();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200]);
    await until(() => s.shedder.inFlight() === 0);
    const again = s.post();
    await until(() => s.entered() === 3);
    s.release();
    expect((await again).status).toBe(200);
  });

  it('releases the slot of a request whose client went away', async () => {
    const s = await gatedServer({ maxInFlight: 1, maxEventLoopLagMs: 0 });
    open.push(s.app);
    const abort = new AbortController();
    const gone = s.post(abort.signal).catch((e: unknown) => e);
    await until(() => s.entered() === 1);
    expect((await s.post()).status).toBe(503);
    abort.abort();
    expect(await gone).toBeInstanceOf(Error);
    await until(() => s.shedder.inFlight() === 0);
    const next = s.post();
    await until(() => s.entered() === 2);
    s.release();
    expect((await next).status).toBe(200);
  });

  it('refuses while the event loop lags, and admits once it has caught up', async () => {
    const s = await gatedServer({ maxInFlight: 100, maxEventLoopLagMs: 100, sampleIntervalMs: 200 });
    open.push(s.app);
    const block = performance.now();
    while (performance.now() - block < 450) { /* block the event loop */ }
    await until(() => s.shedder.lagMs() > 100);
    expect((await s.post()).status).toBe(503);
    await until(() => s.shedder.lagMs() < 100);
    const ok = s.post();
    await until(() => s.entered() === 1);
    s.release();
    expect((await ok).status).toBe(200);
  });

  it('logs refusals as one line per interval with their count, not one line each', async () => {
    const lines: string[] = [];
    const s = await gatedServer({ maxInFlight: 1, maxEventLoopLagMs: 0, logIntervalMs: 300 }, lines);
    open.push(s.app);
    const held = s.post();
    await until(() => s.entered() === 1);
    const started = performance.now();
    const refused = await Promise.all(Array.from({ length: 20 }, () => s.post()));
    const elapsed = performance.now() - started;
    expect(refused.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 503));
    const shedLines = (): Array<{ shed: number; shedTotal: number; status: number }> =>
      lines.map((l) => JSON.parse(l) as { msg: string; shed: number; shedTotal: number; status: number }).filter((l) => l.msg === 'flow endpoint requests shed: server overloaded');
    // The first refusal is logged at once; the others together, at most one line per interval.
    expect(shedLines()[0]).toMatchObject({ shed: 1, shedTotal: 1, status: 503 });
    await until(() => shedLines().at(-1)?.shedTotal === 20);
    expect(shedLines().reduce((sum, l) => sum + l.shed, 0)).toBe(20);
    expect(shedLines().length).toBeLessThanOrEqual(2 + Math.floor(elapsed / 300));
    expect(s.shedder.shed()).toBe(20);
    // A refusal pending at shutdown is still logged.
    expect((await s.post()).status).toBe(503);
    s.release();
    expect((await held).status).toBe(200);
    await s.app.close();
    expect(shedLines().at(-1)).toMatchObject({ shed: 1, shedTotal: 21 });
  });

  it('rejects nonsensical limits at start-up', () => {
    const app = Fastify() as unknown as FastifyInstance;
    expect(() => registerLoadShedding(app, { maxInFlight: -1 })).toThrow(RangeError);
    expect(() => registerLoadShedding(app, { maxEventLoopLagMs: 1.5 })).toThrow(RangeError);
  });
});

describe('buildApp wires load shedding to the endpoint only', () => {
  it('passes AppDeps.loadShedding on: with no slot the endpoint is refused, health checks are not', async () => {
    const app = await buildApp({
      config: { appSecret: undefined }, keys: [privateKey],
      sessions: { issue: () => Promise.reject(new Error('unused')), check: () => Promise.reject(new Error('unused')), complete: () => Promise.reject(new Error('unused')) } as unknown as SessionService,
      handlers: createHandlerRegistry(), logger: pino({ level: 'silent' }), checkDatabase: () => Promise.resolve(),
      loadShedding: { maxInFlight: 0 },
    });
    open.push(app);
    const req = sealRequest({ version: '3.0', action: 'ping' }, null);
    const res = await app.inject({ method: 'POST', url: ENDPOINT_PATH, payload: req.payload, headers: req.headers });
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('buildApp without Fastify route schemas', () => {
  it('sets no Ajv up: a route schema is refused at start with the reason', async () => {
    const app = await buildApp({
      config: { appSecret: undefined }, keys: [privateKey],
      sessions: {} as unknown as SessionService,
      handlers: createHandlerRegistry(), logger: pino({ level: 'silent' }), checkDatabase: () => Promise.resolve(),
    });
    open.push(app);
    app.get('/with-schema', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/validate with zod/);
  });
});
