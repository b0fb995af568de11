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
 * (SCM_RIGHTS). The helper never listens and exits when the channel closes.
 * Best effort: without lanes the server works as before.
 * @module
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';

/** Lanes added by {@link addAcceptLanes}. */
export interface AcceptLanes {
  /** Extra listening handles now accepting. */
  readonly count: number;
  /** Stop accepting on every lane at once (connections already accepted are the HTTP server's to close). */
  close(): Promise<void>;
}

/** The helper: send the handle it receives back `copies` times; it exits when the parent disconnects. */
const HELPER = `process.on('message', (m, h) => { for (let i = 0; i < m.copies; i++) process.send('lane', h); });`;

const NONE: AcceptLanes = { count: 0, close: () => Promise.resolve() };

/** The raw listening handle of a listening `net.Server`, if it has one (Node's `_handle`). */
function rawHandle(server: Server): object | undefined {
  const handle = (server as unknown as { _handle?: unknown })._handle;
  return typeof handle === 'object' && handle !== null ? handle : undefined;
}

/** Receive `count` duplicates of `handle` from a helper process; rejects after `timeoutMs`. */
function duplicates(handle: object, count: number, timeoutMs: number): Promise<object[]> {
  return new Promise((resolve, reject) => {
    // A bare node: no loader or NODE_OPTIONS of the server (e.g. tsx) is needed for a one-line script.
    const helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: {} });
    const copies: object[] = [];
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      if (helper.connected) helper.disconnect();
      helper.kill();
      if (err === undefined) resolve(copies);
      else {
        for (const c of copies) (c as { close?: () => void }).close?.();
        reject(err);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no duplicate handles within ${timeoutMs} ms`)), timeoutMs);
    helper.once('error', (err) => finish(err));
    helper.once('exit', () => { if (copies.length < count) finish(new Error('the helper process exited early')); });
    helper.on('message', (_m: unknown, copy: unknown) => {
      if (typeof copy !== 'object' || copy === null) return;
      copies.push(copy);
      if (copies.length === count) finish();
    });
    helper.send({ copies: count }, handle as Server);
  });
}

/** Options of {@link addAcceptLanes}. */
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
  /** Why no lanes were added, or a lane failed. */
  readonly onError: (err: Error) => void;
  /** Give up on the helper process after this long, ms (default 5000). */
  readonly timeoutMs?: number;
}

/** Give `server` (listening on TCP) more accepting handles. Resolves with the lanes added; never rejects. */
export async function addAcceptLanes(server: Server, options: AcceptLaneOptions): Promise<AcceptLanes> {
  const { lanes, backlog, onError, timeoutMs = 5_000 } = options;
  const handle = rawHandle(server);
  if (lanes <= 0 || handle === undefined || !server.listening) return NONE;
  let copies: object[];
  try {
    copies = await duplicates(handle, lanes, timeoutMs);
  } catch (err) {
    onError(err instanceof Error ? err : new Error(String(err)));
    return NONE;
  }
  if (!server.listening) {
    for (const c of copies) (c as { close?: () => void }).close?.();
    return NONE;
  }
  const servers = copies.map((copy) => {
    // noDelay as Node's HTTP server sets it on the sockets it accepts itself.
    const lane = createServer({ noDelay: true }, (socket) => server.emit('connection', socket));
    lane.on('error', (err) => onError(err));
    lane.listen(copy, backlog);
    return lane;
  });
  return {
    count: servers.length,
    // close() stops accepting at once; its callback would wait for the connections a lane accepted,
    // which the HTTP server owns and closes itself (waiting here would hold a shutdown until keep-alive timeouts).
    close: () => { for (const s of servers) s.close(); return Promise.resolve(); },
  };
}
