/**
 * `flowbridge serve --workers N`: N server processes sharing one port
 * (node:cluster). The endpoint's cost is one RSA-OAEP private decrypt per
 * request, which is CPU-bound and single-threaded per process, so one
 * process per core multiplies the throughput Meta sees (Meta, "Implementing
 * Endpoints for Flows", section "Endpoint health": slow endpoints are
 * throttled).
 *
 * Workers start one after another: the first one migrates the database and,
 * on a first start, generates the key pair, so the others find both ready.
 * Shutdown is asked of the workers over IPC, not by forwarding a signal: a
 * Ctrl+C already reaches every process of the terminal's group, and a second
 * signal would make a worker exit without finishing its in-flight requests.
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { createConnectionShareRelay, startConnectionBalancing, type ConnectionShareMessage } from './connection-balance.js';

/** The IPC message by which the primary asks a worker to stop gracefully. */
export const SHUTDOWN_MESSAGE = 'flowbridge:shutdown';

/** Options of {@link runClusterPrimary}. */
export interface ClusterOptions {
  /** Worker processes to run (≥ 1). */
  readonly workers: number;
  /** Progress and failures, one line each (no secrets are ever passed here). */
  readonly log: (line: string) => void;
  /** A worker that has not stopped this long after being asked is killed, ms. */
  readonly shutdownGraceMs: number;
  /** Replacements of crashed workers allowed before the primary gives up (default 10 × workers). */
  readonly maxRestarts?: number;
}

/** True in a process forked by {@link runClusterPrimary}. */
export function isClusterWorker(): boolean {
  return !cluster.isPrimary;
}

/** In a worker: run `close` when the primary asks for a graceful shutdown. */
export function onPrimaryShutdown(close: () => Promise<void>): void {
  if (!isClusterWorker()) return;
  process.on('message', (message: unknown) => {
    if (message === SHUTDOWN_MESSAGE) void close().catch(() => undefined);
  });
}

/**
 * In a cluster worker: report this worker's connections to the primary and end
 * its surplus keep-alive connections when it holds more than its share
 * (connection-balance.ts). Does nothing in a single process.
 */
export function balanceWorkerConnections(server: Server): { stop(): void } {
  if (!isClusterWorker()) return { stop: () => undefined };
  return startConnectionBalancing(server, {
    // The callback takes a send error (channel closed at shutdown) instead of an 'error' event on process.
    send: (message) => { if (process.connected) process.send?.(message, undefined, {}, () => undefined); },
    on: (event, listener) => process.on(event, listener),
    off: (event, listener) => process.off(event, listener),
  });
}

/**
 * In a worker, once serving is over (stopped, or failed to start): drop the
 * IPC channel, which would otherwise keep the process alive forever.
 */
export function leaveCluster(): void {
  if (isClusterWorker()) process.disconnect?.();
}

/** Fork one worker and settle once it listens (true) or exits first (false). */
function forkListening(): Promise<{ worker: Worker; ok: boolean }> {
  const worker = cluster.fork();
  return new Promise((resolve) => {
    const onListening = (): void => { worker.off('exit', onExit); resolve({ worker, ok: true }); };
    const onExit = (): void => { worker.off('listening', onListening); resolve({ worker, ok: false }); };
    worker.once('listening', onListening);
    worker.once('exit', onExit);
  });
}

/**
 * Run the primary: start the workers one by one, replace any that crashes,
 * and on SIGTERM / SIGINT ask every worker to stop, then resolve. Resolves
 * with the exit code: 0 after a requested shutdown, 2 when a worker could not
 * start (its own error went to stderr) or too many crashed.
 */
export async function runClusterPrimary(options: ClusterOptions): Promise<number> {
  const { workers, log } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError('workers must be a positive integer');
  // Workers accept connections themselves: with the default round-robin the primary accepts every
  // connection and hands it over by IPC to a worker whose event loop may be busy decrypting, where it
  // waits unseen by load shedding (measured: seconds at concurrency 1024). An idle worker accepts first.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let restartsLeft = options.maxRestarts ?? 10 * workers;
  const live = new Set<Worker>();
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => { resolveDone = resolve; });
  let exitCode = 0;

  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const w of live) {
      if (w.isConnected()) w.send(SHUTDOWN_MESSAGE);
      const kill = setTimeout(() => { if (!w.isDead()) w.process.kill('SIGKILL'); }, options.shutdownGraceMs);
      kill.unref();
    }
    if (live.size === 0) resolveDone(exitCode);
  };

  const shares = createConnectionShareRelay();
  const broadcastShare = (share: ConnectionShareMessage): void => {
    // A worker that just died may still look connected: the callback takes the EPIPE.
    for (const w of live) if (w.isConnected()) w.send(share, undefined, {}, () => undefined);
  };
  const track = (worker: Worker): void => {
    live.add(worker);
    // An IPC write to a dying worker fails with an 'error' event, which would otherwise end the primary.
    worker.on('error', (err) => log(`worker ${worker.process.pid ?? '?'}: IPC failed (${err.message})`));
    worker.on('message', (message: unknown) => { if (live.has(worker)) shares.onMessage(worker.id, message, broadcastShare, live.size); });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      shares.forget(worker.id);
      if (stopping) {
        if (live.size === 0) resolveDone(exitCode);
        return;
      }
      log(`worker ${worker.process.pid ?? '?'} exited (${signal ?? `code ${code}`}); ${restartsLeft > 0 ? 'starting a replacement' : 'too many crashes, stopping'}`);
      if (restartsLeft <= 0) { stopAll(2); return; }
      restartsLeft -= 1;
      void forkListening().then(({ worker: w, ok }) => {
        if (ok) { track(w); if (stopping && w.isConnected()) w.send(SHUTDOWN_MESSAGE); }
      });
    });
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: asking ${live.size} worker(s) to finish their in-flight requests and stop`);
    stopAll(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    for (let i = 0; i < workers; i++) {
      const { worker, ok } = await forkListening();
      if (!ok) {
        log(`worker ${i + 1} of ${workers} could not start`);
        stopAll(2);
        return await done;
      }
      track(worker);
      if (stopping) {
        if (worker.isConnected()) worker.send(SHUTDOWN_MESSAGE);
        return await done;
      }
    }
    log(`${workers} worker processes listening`);
    return await done;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
