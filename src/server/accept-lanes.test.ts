import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addAcceptLanes, type AcceptLanes } from './accept-lanes.js';

const opened: Array<{ server: Server; lanes?: AcceptLanes; sockets: Socket[] }> = [];
afterEach(async () => {
  for (const { server, lanes, sockets } of opened.splice(0)) {
    for (const s of sockets) s.destroy();
    await lanes?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function listening(backlog: number): Promise<{ server: Server; port: number; accepted: () => number; sockets: Socket[] }> {
  let accepted = 0;
  const server = createServer((_req, res) => { res.end(`answered on ${res.socket?.localPort ?? 0}`); });
  server.on('connection', () => { accepted += 1; });
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog }, r));
  const port = (server.address() as { port: number }).port;
  const entry = { server, sockets: [] as Socket[] };
  opened.push(entry);
  return { server, port, accepted: () => accepted, sockets: entry.sockets };
}

/**
 * Open `n` connections while the event loop is blocked, then count what the
 * next turns accept: element i is the total accepted after i turns (the
 * first is taken in the check phase of the current turn, before any poll).
 */
async function acceptedAfterTurns(port: number, n: number, turns: number, accepted: () => number, sockets: Socket[]): Promise<number[]> {
  for (let i = 0; i < n; i++) sockets.push(connect(port, '127.0.0.1').on('error', () => undefined));
  const block = performance.now();
  // The kernel completes the handshakes while the loop is blocked; the connections queue for accept().
  while (performance.now() - block < 300) { /* block the event loop */ }
  const counts: number[] = [];
  await new Promise<void>((resolve) => {
    const turn = (): void => {
      counts.push(accepted());
      if (counts.length === turns + 1) resolve();
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
  return counts;
}

describe('accept lanes', () => {
  it('accept one connection per lane and per event-loop turn, where Node alone accepts one', async () => {
    const without = await listening(4096);
    const alone = await acceptedAfterTurns(without.port, 40, 3, without.accepted, without.sockets);
    expect(alone.map((n) => n - alone[0]!)).toEqual([0, 1, 2, 3]);

    const withLanes = await listening(4096);
    const lanes = await addAcceptLanes(withLanes.server, { lanes: 15, backlog: 4096, onError: (err) => { throw err; } });
    opened.at(-1)!.lanes = lanes;
    expect(lanes.count).toBe(15);
    const counts = await acceptedAfterTurns(withLanes.port, 40, 3, withLanes.accepted, withLanes.sockets);
    expect(counts.map((n) => n - counts[0]!)).toEqual([0, 16, 32, 40]);
  });

  it('hand every connection to the HTTP server, which answers it', async () => {
    const { server, port } = await listening(4096);
    const lanes = await addAcceptLanes(server, { lanes: 8, backlog: 4096, onError: (err) => { throw err; } });
    opened.at(-1)!.lanes = lanes;
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())));
    expect(new Set(answers)).toEqual(new Set([`answered on ${port}`]));
  });

  it('keep the listen backlog the server started with', async () => {
    // 700 connections queue while the loop is blocked: with Node's default 511 put back by the lanes,
    // the excess would wait for a SYN-ACK retransmission (1 s) and not be accepted in the next turns.
    const { server, port, accepted, sockets } = await listening(4096);
    const lanes = await addAcceptLanes(server, { lanes: 31, backlog: 4096, onError: (err) => { throw err; } });
    opened.at(-1)!.lanes = lanes;
    const counts = await acceptedAfterTurns(port, 700, 60, accepted, sockets);
    expect(counts.at(-1)).toBe(700);
  });

  it('add nothing when asked for none or when the server does not listen', async () => {
    const { server } = await listening(4096);
    expect((await addAcceptLanes(server, { lanes: 0, backlog: 4096, onError: (err) => { throw err; } })).count).toBe(0);
    const idle = createServer();
    expect((await addAcceptLanes(idle, { lanes: 4, backlog: 4096, onError: (err) => { throw err; } })).count).toBe(0);
  });

  it('stop accepting on the lanes when closed', async () => {
    const { server, port, accepted, sockets } = await listening(4096);
    const lanes = await addAcceptLanes(server, { lanes: 4, backlog: 4096, onError: (err) => { throw err; } });
    await lanes.close();
    const counts = await acceptedAfterTurns(port, 10, 2, accepted, sockets);
    expect(counts.map((n) => n - counts[0]!)).toEqual([0, 1, 2]);
  });
});
