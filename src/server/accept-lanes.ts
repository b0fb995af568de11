/**
 * More than one `accept()` per event-loop turn. libuv (1.45+, so every Node
 * 20 and later) accepts one connection per listening handle per turn
 * (libuv PR #3696). Under a burst the server's turns grow long: each reads
 * and answers (or refuses with 503) every request that is ready, about
 * 20–40 ms with a thousand busy connections on the bench machine. New
 * connections then waited in the kernel's accept queue, drained one per turn
 * (strace: one accept4 every 20–40 ms, ~40 a second; `ss`: 750 waiting),
 * and were answered 2.5–4 s after they connected, past the 1 s the issue
 * allows, while requests on open connections were refused within 0.3 s.
 *
 * A lane is one more handle on the same listening socket: a duplicate file
 * descriptor, watched by the same event loop, that accepts its own
 * connection each turn and hands it to the HTTP server (`emit('connection')`,
 * as Node documents for feeding sockets to a server). Node has no dup(); a
 * short-lived helper process receives the raw handle over IPC and sends it
 * back `lanes` times, and each copy arrives as a new descriptor
 * (SCM_RIGHTS). The helper never listens and is stopped once it has answered.
 *
 * A lane's socket is counted as the HTTP server's own (Node's net internals
 * `_connections` / `_server`, as its own accept path does): `server.close()`
 * then waits for it, `maxConnections` and `getConnections()` include it.
 * Best effort: without lanes the server works as before.
 * @module
 */
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { perInterval } from './per-interval.js';

/** Options of {@link startAcceptLanes}. */
export interface AcceptLaneOptions {
  /** Extra accepting handles. */
  readonly lanes: number;
  /**
   * The listen backlog the server was started with. Each lane calls listen()
   * on the same socket, and listen() sets the socket's backlog anew: without
   * it, Node's default 511 would replace the server's (measured: a burst of
   * 1024 connects then overflowed the queue and 209 clients waited > 0.9 s
   * for a SYN retransmission).
   */
  readonly backlog: number;
  /** No lanes could be added (the server still accepts on its own handle). */
  readonly onUnavailable: (err: Error) => void;
  /** A lane failed to accept (e.g. out of file descriptors); called at most once per second, with the count since. */
  readonly onAcceptError: (err: Error, count: number) => void;
  /** Give up on the helper process after this long, ms (default 5000). */
  readonly timeoutMs?: number;
  /** The helper's command (tests); default this Node running {@link HELPER}. */
  readonly helper?: { readonly command: string; readonly args: readonly string[] };
}

/** Lanes being added or added; see {@link startAcceptLanes}. */
export interface AcceptLanes {
  /** Settles with the number of lanes accepting (0 when none could be added); never rejects. */
  readonly ready: Promise<number>;
  /** Stop the helper if it still runs and stop accepting on every lane, at once. */
  close(): void;
}

/** The helper: send the handle it receives back `copies` times. */
export const HELPER = `process.on('message', (m, h) => { for (let i = 0; i < m.copies; i++) process.send('lane', h); });`;

/** Node's net.Server internals a lane hands its sockets over with. */
interface ServerInternals { _handle?: unknown; _connections: number; maxConnections?: number; allowHalfOpen?: boolean; noDelay?: boolean; keepAlive?: boolean; keepAliveInitialDelay?: number; highWaterMark?: number }

const closeHandle = (handle: object): void => { (handle as { close?: () => void }).close?.(); };

/** Give `server` (listening on TCP) more accepting handles, in the background. */
export function startAcceptLanes(server: Server, options: AcceptLaneOptions): AcceptLanes {
  const { lanes, backlog, timeoutMs = 5_000 } = options;
  const internals = server as unknown as ServerInternals;
  const handle = internals._handle;
  const servers: Server[] = [];
  let closed = false;
  let stopHelper = (): void => undefined;

  const accept = (lane: Server, socket: Socket): void => {
    const laneInternals = lane as unknown as ServerInternals;
    // As Node's own accept path does for the server's handle.
    if (internals.maxConnections && internals._connections >= internals.maxConnections) {
      server.emit('drop', { localAddress: socket.localAddress, localPort: socket.localPort, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort, remoteFamily: socket.remoteFamily });
      socket.destroy();
      return;
    }
    laneInternals._connections -= 1;
    internals._connections += 1;
    (socket as unknown as { _server: Server })._server = server;
    server.emit('connection', socket);
  };

  // At most one report a second; failures within the second are reported, with their count, when it ends.
  const acceptErrors = perInterval<Error>(1000, (count, err) => options.onAcceptError(err, count));
  const acceptFailed = (err: Error): void => acceptErrors.add(err);

  /** A lane listening on `copy`, or undefined when listen() failed (the copy is then closed). */
  const openLane = (copy: object): Promise<Server | undefined> => new Promise((resolve) => {
    const lane = createServer({
      allowHalfOpen: internals.allowHalfOpen ?? true, noDelay: internals.noDelay ?? true, keepAlive: internals.keepAlive ?? false,
      // net.Server keeps the delay in seconds; the option is in milliseconds.
      keepAliveInitialDelay: (internals.keepAliveInitialDelay ?? 0) * 1000, highWaterMark: internals.highWaterMark,
    }, (socket) => accept(lane, socket));
    const failed = (): void => { closeHandle(copy); resolve(undefined); };
    lane.once('error', failed);
    lane.once('listening', () => {
      lane.off('error', failed);
      lane.on('error', acceptFailed);
      resolve(lane);
    });
    lane.listen(copy, backlog);
  });

  const ready = (async (): Promise<number> => {
    if (lanes <= 0 || typeof handle !== 'object' || handle === null || !server.listening) return 0;
    let copies: object[];
    try {
      const receiving = duplicates(handle, lanes, timeoutMs, options.helper);
      stopHelper = receiving.stop;
      copies = await receiving.copies;
    } catch (err) {
      if (!closed) options.onUnavailable(err instanceof Error ? err : new Error(String(err)));
      return 0;
    }
    if (closed || !server.listening) { copies.forEach(closeHandle); return 0; }
    const opened = (await Promise.all(copies.map(openLane))).filter((l): l is Server => l !== undefined);
    if (opened.length < copies.length) options.onUnavailable(new Error(`${copies.length - opened.length} of ${copies.length} lanes could not listen`));
    if (closed) { for (const l of opened) l.close(); return 0; }
    servers.push(...opened);
    return servers.length;
  })();

  return {
    ready,
    close() {
      closed = true;
      stopHelper();
      acceptErrors.flush();
      // close() stops accepting at once; the sockets a lane accepted are the HTTP server's (counted there).
      for (const s of servers.splice(0)) s.close();
    },
  };
}

/** Receive `count` duplicates of `handle` from a helper process; `stop` ends the helper and drops what it sent. */
function duplicates(handle: object, count: number, timeoutMs: number, helperCommand?: AcceptLaneOptions['helper']): { copies: Promise<object[]>; stop: () => void } {
  // A bare node and an empty environment: no loader, NODE_OPTIONS or secret of the server reaches it.
  const helper = spawn(helperCommand?.command ?? process.execPath, [...(helperCommand?.args ?? ['-e', HELPER])], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: {} });
  const received: object[] = [];
  let settled = false;
  let settle!: (err?: Error) => void;
  const copies = new Promise<object[]>((resolve, reject) => {
    settle = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Only a signal, no disconnect(): messages already read are still being emitted (one per tick), and
      // acknowledging a handle on a channel disconnected meanwhile trips an assertion in Node. The channel
      // closes when the helper exits; copies that still arrive are closed by the 'message' listener.
      helper.kill();
      if (err === undefined) resolve(received.splice(0));
      else { received.splice(0).forEach(closeHandle); reject(err); }
    };
  });
  const timer = setTimeout(() => settle(new Error(`the helper process sent no duplicate handles within ${timeoutMs} ms`)), timeoutMs);
  helper.on('error', (err) => settle(err));
  helper.once('exit', () => settle(new Error('the helper process exited before sending every duplicate handle')));
  helper.on('message', (_m: unknown, copy: unknown) => {
    if (typeof copy !== 'object' || copy === null) return;
    if (settled) { closeHandle(copy); return; }
    received.push(copy);
    if (received.length === count) settle();
  });
  try {
    helper.send({ copies: count }, handle as Server, (err) => { if (err !== null) settle(err); });
  } catch (err) {
    settle(err instanceof Error ? err : new Error(String(err)));
  }
  return { copies, stop: () => settle(new Error('stopped')) };
}
