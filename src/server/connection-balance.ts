/**
 * Keep-alive connections spread over `serve --workers N`.
 *
 * Workers accept connections themselves (`cluster.SCHED_NONE`, see
 * cluster.ts), so whichever worker wakes first takes a whole burst of new
 * connections, and with keep-alive clients it keeps them: measured on the
 * endpoint bench (2 workers, 64 connections opened at once), one worker did
 * two thirds of the work or more in 5 of 6 runs (all of it in one), and such
 * runs answered up to 17 % fewer requests while the other worker idled.
 *
 * Each worker reports its open connections to the primary (at most once per
 * interval, only when the count changed); the primary answers every worker
 * with the total. A worker holding more than its share plus some slack ends
 * the surplus after their next response (`Connection: close`, which HTTP/1.1
 * clients follow by reconnecting); the new connections are accepted by
 * whichever worker is idle, which is the one with fewer connections. At most
 * one round of closes per interval, so the workers never chase each other,
 * and a round after which this worker's part of all connections did not fall
 * by at least half its surplus (it was not the busy one, so it accepted the
 * reconnections itself) doubles the wait before the next.
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A worker's report to the primary. */
export interface ConnectionCountMessage { readonly type: 'flowbridge:connections'; readonly count: number }
/** The primary's answer to every worker. */
export interface ConnectionShareMessage { readonly type: 'flowbridge:connection-share'; readonly total: number; readonly workers: number }

/** How often a worker reports and rebalances, ms. */
export const BALANCE_INTERVAL_MS = 500;
/** The longest wait between rounds that moved nothing, in intervals. */
const MAX_WAIT_INTERVALS = 64;

/**
 * How many of `own` connections to end so this worker comes back to its
 * share of `total` over `workers`; 0 while it is within the slack
 * (a quarter of the share, at least 2), so small differences never cause closes.
 */
export function surplusConnections(own: number, total: number, workers: number): number {
  if (!(workers > 1) || !(own > 0) || !(total >= own)) return 0;
  const share = Math.ceil(total / workers);
  const slack = Math.max(2, Math.ceil(share / 4));
  return own > share + slack ? own - share : 0;
}

function isShare(message: unknown): message is ConnectionShareMessage {
  const m = message as Partial<ConnectionShareMessage> | null;
  return typeof m === 'object' && m !== null && m.type === 'flowbridge:connection-share'
    && Number.isInteger(m.total) && Number.isInteger(m.workers);
}

/** The IPC channel of a cluster worker (`process` in production, a fake in tests). */
export interface WorkerChannel {
  send(message: ConnectionCountMessage): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Count `server`'s connections, report them, and end the surplus when the primary's total says so. */
export function startConnectionBalancing(
  server: Server, channel: WorkerChannel, options: { readonly intervalMs?: number; readonly now?: () => number } = {},
): { stop(): void; readonly open: number } {
  const intervalMs = options.intervalMs ?? BALANCE_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  let open = 0;
  let reported = -1;
  let toClose = 0;
  let nextRoundAt = Number.NEGATIVE_INFINITY;
  let wait = intervalMs;
  let lastRound: { from: number; total: number; surplus: number } | undefined;
  const closing = new WeakSet<Socket>();

  const onConnection = (socket: Socket): void => {
    open += 1;
    socket.once('close', () => { open -= 1; });
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (toClose === 0 || closing.has(req.socket)) return;
    closing.add(req.socket);
    toClose -= 1;
    res.setHeader('connection', 'close');
  };
  const onMessage = (message: unknown): void => {
    if (!isShare(message)) return;
    const at = now();
    if (at < nextRoundAt) return;
    if (lastRound !== undefined) {
      // When this worker is not the busy one it wins the race to accept the reconnections, and the
      // round moved nothing: wait twice as long before the next (up to 64 intervals), so a lightly
      // loaded cluster does not churn connections. Under load the idle worker accepts them.
      // Measured as this worker's part of all connections, so connections that came or went meanwhile
      // elsewhere in the cluster do not count as moved ones; at least half the surplus must have moved.
      const moved = lastRound.from - (message.total > 0 ? (open / message.total) * lastRound.total : 0);
      wait = 2 * moved >= lastRound.surplus ? intervalMs : Math.min(2 * wait, MAX_WAIT_INTERVALS * intervalMs);
      lastRound = undefined;
    }
    // A later total replaces what an earlier round had left to close.
    toClose = surplusConnections(open, message.total, message.workers);
    if (toClose === 0) return;
    lastRound = { from: open, total: message.total, surplus: toClose };
    nextRoundAt = at + wait;
  };
  const report = (): void => {
    // Closes a round could not make within its wait (idle connections) are dropped: the next round recounts.
    if (toClose > 0 && now() >= nextRoundAt) toClose = 0;
    if (open === reported) return;
    reported = open;
    try { channel.send({ type: 'flowbridge:connections', count: open }); } catch { /* the primary is gone: shutting down */ }
  };

  server.on('connection', onConnection);
  server.prependListener('request', onRequest);
  channel.on('message', onMessage);
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    get open() { return open; },
    stop() {
      clearInterval(timer);
      server.off('connection', onConnection);
      server.off('request', onRequest);
      channel.off('message', onMessage);
    },
  };
}

/** The primary's side: keeps each worker's last count and tells every worker the total. */
export function createConnectionShareRelay(): {
  /** A message from worker `id`; answers through `broadcast` when it was a count. */
  onMessage(id: number, message: unknown, broadcast: (share: ConnectionShareMessage) => void, workers: number): void;
  /** Worker `id` is gone: its connections went with it. */
  forget(id: number): void;
} {
  const counts = new Map<number, number>();
  return {
    onMessage(id, message, broadcast, workers) {
      const m = message as Partial<ConnectionCountMessage> | null;
      if (typeof m !== 'object' || m === null || m.type !== 'flowbridge:connections' || !Number.isInteger(m.count) || (m.count ?? -1) < 0) return;
      counts.set(id, m.count ?? 0);
      let total = 0;
      for (const c of counts.values()) total += c;
      broadcast({ type: 'flowbridge:connection-share', total, workers });
    },
    forget(id) { counts.delete(id); },
  };
}
