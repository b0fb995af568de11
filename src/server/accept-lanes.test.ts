import { createServer, type RequestListener, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAcceptLanes, type AcceptLaneOptions, type AcceptLanes } from './accept-lanes.js';

const opened: Array<{ server: Server; lanes?: AcceptLanes; sockets: Socket[] }> = [];
afterEach(async () => {
  for (const { server, lanes, sockets } of opened.splice(0)) {
    for (const s of sockets) s.destroy();
    lanes?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

const fail = (err: Error): never => { throw err; };

async function listening(handler: RequestListener = (_req, res) => { res.end('answered'); }): Promise<{ server: Server; port: number; accepted: () => number; sockets: Socket[]; entry: (typeof opened)[number] }> {
  let accepted = 0;
  const server = createServer(handler);
  server.on('connection', () => { accepted += 1; });
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
  const port = (server.address() as { port: number }).port;
  const entry = { server, sockets: [] as Socket[] };
  opened.push(entry);
  return { server, port, accepted: () => accepted, sockets: entry.sockets, entry };
}

async function withLanes(target: Awaited<ReturnType<typeof listening>>, lanes: number, extra: Partial<AcceptLaneOptions> = {}): Promise<number> {
  const started = startAcceptLanes(target.server, { lanes, backlog: 4096, onUnavailable: fail, onAcceptError: fail, ...extra });
  target.entry.lanes = started;
  return started.ready;
}

/** Turns of the event loop, recording `probe()` in the check phase of each (element 0: before any poll). */
function afterTurns(turns: number, probe: () => number): Promise<number[]> {
  const counts: number[] = [];
  return new Promise((resolve) => {
    const turn = (): void => {
      counts.push(probe());
      if (counts.length === turns + 1) resolve(counts);
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
}

/** Open `n` connections while the event loop is blocked: the kernel completes them and they queue for accept(). */
function queueConnections(port: number, n: number, sockets: Socket[]): Socket[] {
  const made = Array.from({ length: n }, () => connect(port, '127.0.0.1').on('error', () => undefined));
  sockets.push(...made);
  const block = performance.now();
  while (performance.now() - block < 300) { /* block the event loop */ }
  return made;
}

/** Send one `Connection: close` request on `socket` and read the whole answer. */
function request(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => { text += c.toString('latin1'); });
    socket.on('close', () => resolve(text));
    socket.write('GET / HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n');
  });
}

describe('accept lanes', () => {
  it('accept one connection per lane and per event-loop turn, where Node alone accepts one', async () => {
    const alone = await listening();
    queueConnections(alone.port, 40, alone.sockets);
    const one = await afterTurns(3, alone.accepted);
    expect(one.map((n) => n - one[0]!)).toEqual([0, 1, 2, 3]);

    const laned = await listening();
    expect(await withLanes(laned, 15)).toBe(15);
    queueConnections(laned.port, 40, laned.sockets);
    const many = await afterTurns(3, laned.accepted);
    expect(many.map((n) => n - many[0]!)).toEqual([0, 16, 32, 40]);
  });

  it('hand the connections they accept to the HTTP server, which answers them and waits for them when closing', async () => {
    const waiting: Array<() => void> = [];
    let entered = 0;
    const target = await listening((_req, res) => { entered += 1; waiting.push(() => res.end('answered')); });
    await withLanes(target, 8);
    // Nine connections accepted in one turn: one by the server's own handle, eight by the lanes.
    const sockets = queueConnections(target.port, 9, target.sockets);
    const answers = Promise.all(sockets.map(request));
    await afterTurns(20, () => entered);
    expect(entered).toBe(9);
    expect(await new Promise((r) => target.server.getConnections((_e, n) => r(n)))).toBe(9);

    target.entry.lanes?.close();
    let closed = false;
    target.server.close(() => { closed = true; });
    await afterTurns(20, () => 0);
    expect(closed).toBe(false);
    for (const release of waiting.splice(0)) release();
    for (const answer of await answers) expect(answer).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nanswered$/);
    await afterTurns(20, () => 0);
    expect(closed).toBe(true);
  });

  it('respect the HTTP server\'s maxConnections, dropping the excess as Node does', async () => {
    const target = await listening();
    await withLanes(target, 8);
    target.server.maxConnections = 3;
    let dropped = 0;
    target.server.on('drop', () => { dropped += 1; });
    const sockets = queueConnections(target.port, 9, target.sockets);
    const answers = await Promise.all(sockets.map(request));
    expect(answers.filter((a) => a.endsWith('answered')).length).toBe(3);
    expect(answers.filter((a) => a === '').length).toBe(6);
    expect(target.accepted()).toBe(3);
    expect(dropped).toBe(6);
  });

  it('keep the listen backlog the server started with', async () => {
    // 700 connections queue while the loop is blocked: with Node's default 511 put back by the lanes,
    // the excess would wait for a SYN-ACK retransmission (1 s) and not be accepted in the next turns.
    const target = await listening();
    await withLanes(target, 31);
    queueConnections(target.port, 700, target.sockets);
    const counts = await afterTurns(60, target.accepted);
    expect(counts.at(-1)).toBe(700);
  });

  it('add nothing when asked for none or when the server does not listen', async () => {
    expect(await withLanes(await listening(), 0)).toBe(0);
    const idle = createServer();
    expect(await startAcceptLanes(idle, { lanes: 4, backlog: 4096, onUnavailable: fail, onAcceptError: fail }).ready).toBe(0);
  });

  it('stop accepting when closed, also while the helper is still being asked', async () => {
    const target = await listening();
    await withLanes(target, 4);
    target.entry.lanes?.close();
    queueConnections(target.port, 10, target.sockets);
    const counts = await afterTurns(2, target.accepted);
    expect(counts.map((n) => n - counts[0]!)).toEqual([0, 1, 2]);

    // A helper that has not answered yet (it never will) is stopped by close(), and nothing is reported.
    const early = await listening();
    const unavailable: Error[] = [];
    const pidFile = join(mkdtempSync(join(tmpdir(), 'fb-lanes-')), 'pid');
    const lanes = startAcceptLanes(early.server, {
      lanes: 4, backlog: 4096, onUnavailable: (e) => unavailable.push(e), onAcceptError: fail,
      helper: { command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`] },
    });
    early.entry.lanes = lanes;
    for (let i = 0; i < 200 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    lanes.close();
    expect(await lanes.ready).toBe(0);
    expect(unavailable).toEqual([]);
    const alive = (): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(alive()).toBe(false);
  });

  it('report a helper that fails or never answers, and leave the server accepting on its own handle', async () => {
    for (const [args, timeoutMs, why] of [
      [['-e', 'process.exit(3)'], 5_000, /exited before sending/],
      [['-e', 'setInterval(() => {}, 1000)'], 300, /within 300 ms/],
    ] as const) {
      const target = await listening();
      const unavailable: Error[] = [];
      const lanes = startAcceptLanes(target.server, { lanes: 4, backlog: 4096, timeoutMs, helper: { command: process.execPath, args }, onUnavailable: (e) => unavailable.push(e), onAcceptError: fail });
      target.entry.lanes = lanes;
      expect(await lanes.ready).toBe(0);
      expect(unavailable.map((e) => e.message)).toEqual([expect.stringMatching(why)]);
      expect(await request(connect(target.port, '127.0.0.1'))).toMatch(/answered$/);
    }
  });
});
