import { EventEmitter } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createConnectionShareRelay, startConnectionBalancing, surplusConnections,
  type ConnectionCountMessage, type ConnectionShareMessage, type WorkerChannel,
} from './connection-balance.js';

describe('surplusConnections', () => {
  it('brings a worker over its share plus slack back to its share, and leaves the others alone', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 64 }), (own, others, workers) => {
      const total = own + others;
      const surplus = surplusConnections(own, total, workers);
      const share = Math.ceil(total / workers);
      expect(surplus).toBeGreaterThanOrEqual(0);
      expect(surplus).toBeLessThanOrEqual(own);
      if (surplus > 0) expect(own - surplus).toBe(share);
      else expect(workers === 1 || own <= share + Math.max(2, Math.ceil(share / 4))).toBe(true);
    }));
  });

  it('gives these figures', () => {
    expect(surplusConnections(64, 64, 2)).toBe(32);
    expect(surplusConnections(40, 64, 2)).toBe(0); // share 32, slack 8
    expect(surplusConnections(41, 64, 2)).toBe(9);
    expect(surplusConnections(3, 3, 2)).toBe(0); // share 2, slack 2
    expect(surplusConnections(5, 5, 2)).toBe(0); // share 3, slack 2
    expect(surplusConnections(6, 6, 2)).toBe(3);
    expect(surplusConnections(64, 64, 1)).toBe(0);
    expect(surplusConnections(10, 4, 2)).toBe(0); // a total older than the worker's own count: wait for the next
  });
});

/** The worker's side of the IPC channel, with the primary played by the test. */
class FakeChannel extends EventEmitter implements WorkerChannel {
  readonly sent: ConnectionCountMessage[] = [];
  send(message: ConnectionCountMessage): void { this.sent.push(message); }
  share(total: number, workers: number): void {
    const m: ConnectionShareMessage = { type: 'flowbridge:connection-share', total, workers };
    this.emit('message', m);
  }
}

const servers: Server[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

function get(port: number, agent: Agent): Promise<{ connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/', agent }, (res) => {
      res.resume();
      res.once('end', () => resolve({ connection: res.headers.connection }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** An HTTP server on a loopback port, closed after the test. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** `n` requests at once on `agent`. */
const requests = (n: number, port: number, agent: Agent): Promise<Array<{ connection: string | undefined }>> =>
  Promise.all(Array.from({ length: n }, () => get(port, agent)));

/** A balanced server, its fake primary and a keep-alive client of `sockets` connections, all closed after the test. */
async function balancedServer(sockets: number, options: Parameters<typeof startConnectionBalancing>[2]) {
  const { server, port } = await listening();
  const channel = new FakeChannel();
  const balancing = startConnectionBalancing(server, channel, options);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  cleanups.push(() => { balancing.stop(); agent.destroy(); });
  return { server, channel, balancing, send: (n: number) => requests(n, port, agent) };
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('startConnectionBalancing', () => {
  it('reports its open connections and ends exactly its surplus after their next response', async () => {
    const { channel, balancing, send } = await balancedServer(10, { intervalMs: 20 });
    await send(10);
    expect(balancing.open).toBe(10);
    await until(() => channel.sent.at(-1)?.count === 10);

    // Ten of 12 in a 2-worker cluster: share 6, slack 2, so 4 are ended.
    channel.share(12, 2);
    const answers = await send(10);
    expect(answers.filter((a) => a.connection === 'close')).toHaveLength(4);
    expect(answers.filter((a) => a.connection === 'keep-alive')).toHaveLength(6);
    await until(() => balancing.open === 6);
    await until(() => channel.sent.at(-1)?.count === 6);

    // Within the slack now: nothing more is ended.
    channel.share(8, 2);
    const later = await send(6);
    expect(later.every((a) => a.connection === 'keep-alive')).toBe(true);
  });

  it('starts at most one round per interval, and stop() detaches it', async () => {
    const { server, channel, balancing, send } = await balancedServer(8, { intervalMs: 60_000 });
    await send(8);
    channel.share(8, 2); // share 4, slack 2: 4 to end
    channel.share(8, 4); // same interval: ignored (it would ask for 6)
    const answers = await send(8);
    expect(answers.filter((a) => a.connection === 'close')).toHaveLength(4);
    balancing.stop();
    expect(channel.listenerCount('message')).toBe(0);
    expect(server.listenerCount('request')).toBe(1);
  });

  it('drops the closes a round could not make within its wait', async () => {
    let clock = 0;
    const { channel, send } = await balancedServer(8, { intervalMs: 20, now: () => clock });
    await send(8);
    channel.share(8, 2); // 4 to end, but the connections stay idle
    clock = 20;
    await new Promise((r) => setTimeout(r, 80)); // a few report ticks
    expect((await send(8)).every((a) => a.connection === 'keep-alive')).toBe(true);
  });

  it('waits twice as long after a round that moved nothing, and one interval again after one that moved', async () => {
    let clock = 0;
    const { channel, balancing, send } = await balancedServer(8, { intervalMs: 100, now: () => clock });
    /** 8 connections open, a share message at `at` ms (8 in all, 2 workers), then 8 requests: how many were told to close. */
    const roundAt = async (at: number): Promise<number> => {
      await send(8);
      expect(balancing.open).toBe(8);
      clock = at;
      channel.share(8, 2);
      const closes = (await send(8)).filter((a) => a.connection === 'close').length;
      await until(() => balancing.open === 8 - closes);
      return closes;
    };
    // The agent's reconnections all come back to this server, the only one: a round moves nothing.
    expect(await roundAt(0)).toBe(4);
    expect(await roundAt(99)).toBe(0); // within the interval
    expect(await roundAt(100)).toBe(4); // the first round moved nothing: the next waits 200 ms
    expect(await roundAt(299)).toBe(0);
    expect(await roundAt(300)).toBe(4); // the next waits 400 ms
    // Now the 4 closed connections stay away (as if the other worker had them): that round moved them.
    expect(balancing.open).toBe(4);
    clock = 700;
    channel.share(8, 2);
    expect(await roundAt(701)).toBe(4); // and the wait is one interval again
    expect(await roundAt(800)).toBe(0);
    expect(await roundAt(801)).toBe(4); // without the reset: not before 701 + 800
  });
});

describe('startConnectionBalancing behind Fastify', () => {
  it('ends the surplus through a Fastify route as on a bare server', async () => {
    const app = Fastify();
    app.get('/', () => 'ok');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const channel = new FakeChannel();
    const balancing = startConnectionBalancing(app.server, channel, { intervalMs: 60_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    try {
      const port = (app.server.address() as AddressInfo).port;
      await requests(6, port, agent);
      channel.share(6, 2); // share 3, slack 2: 3 to end
      const answers = await requests(6, port, agent);
      expect(answers.map((a) => a.connection).sort()).toEqual(['close', 'close', 'close', 'keep-alive', 'keep-alive', 'keep-alive']);
      await until(() => balancing.open === 3);
    } finally {
      balancing.stop();
      agent.destroy();
      await app.close();
    }
  });
});

describe('createConnectionShareRelay', () => {
  it('tells every worker the sum of the last counts, ignores other messages and forgets a dead worker', () => {
    const relay = createConnectionShareRelay();
    const told: ConnectionShareMessage[] = [];
    const broadcast = (m: ConnectionShareMessage): void => { told.push(m); };
    relay.onMessage(1, { type: 'flowbridge:connections', count: 30 }, broadcast, 2);
    relay.onMessage(2, { type: 'flowbridge:connections', count: 4 }, broadcast, 2);
    relay.onMessage(1, { type: 'flowbridge:connections', count: 20 }, broadcast, 2);
    relay.onMessage(2, 'flowbridge:shutdown', broadcast, 2);
    relay.onMessage(2, { type: 'flowbridge:connections', count: -1 }, broadcast, 2);
    relay.onMessage(2, { type: 'flowbridge:connections', count: 1.5 }, broadcast, 2);
    expect(told.map((m) => m.total)).toEqual([30, 34, 24]);
    relay.forget(1);
    relay.onMessage(2, { type: 'flowbridge:connections', count: 5 }, broadcast, 1);
    expect(told.at(-1)).toEqual({ type: 'flowbridge:connection-share', total: 5, workers: 1 });
  });
});
