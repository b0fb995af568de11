/**
 * The server's broadcast loop: runs every `running` broadcast, one at a
 * time (they share the phone number's throughput), oldest start first, and
 * polls for new ones; {@link BroadcastWorker.wake} skips the wait after a
 * start or resume. `stop` ends the current run gracefully: in-flight sends
 * finish and are recorded, claimed recipients go back to the queue.
 * @module
 */
import type { BroadcastRepo } from '../../store/repos/broadcast-repo.js';
import type { BroadcastRunner, RunEnd } from './broadcast-runner.js';

/** Options of {@link createBroadcastWorker}. */
export interface BroadcastWorkerDeps {
  readonly broadcasts: BroadcastRepo;
  readonly runner: BroadcastRunner;
  /** Wait between looks for running broadcasts (default 2 s). */
  readonly pollMs?: number;
  readonly onError?: (error: unknown, broadcastId: string | undefined) => void;
  /** Told how each run ended (for logs). */
  readonly onRunEnd?: (broadcastId: string, end: RunEnd) => void;
}

/** A started or stopped worker. */
export interface BroadcastWorker {
  start(): void;
  wake(): void;
  /** Stop after the current run has wound down. */
  stop(): Promise<void>;
}

/** Build a worker (not started). */
export function createBroadcastWorker(deps: BroadcastWorkerDeps): BroadcastWorker {
  const pollMs = deps.pollMs ?? 2000;
  let abort: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  /** A wake that came while not waiting: the next wait is skipped. */
  let woken = false;

  const pause = (signal: AbortSignal) => new Promise<void>((resolve) => {
    if (woken) {
      woken = false;
      resolve();
      return;
    }
    const timer = setTimeout(done, pollMs);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wakeUp = undefined;
      resolve();
    }
    wakeUp = done;
    signal.addEventListener('abort', done);
  });

  async function runLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let ran = false;
      try {
        for (const b of await deps.broadcasts.listRunning()) {
          if (signal.aborted) break;
          const end = await deps.runner.run(b.id, signal);
          deps.onRunEnd?.(b.id, end);
          if (end !== 'lease_held') ran = true;
        }
      } catch (error) {
        deps.onError?.(error, undefined);
        ran = false;
      }
      if (!ran && !signal.aborted) await pause(signal);
    }
  }

  return {
    start() {
      if (loop !== undefined) return;
      abort = new AbortController();
      loop = runLoop(abort.signal);
    },
    wake() {
      if (wakeUp === undefined) woken = true;
      else wakeUp();
    },
    async stop() {
      abort?.abort();
      await loop;
      loop = undefined;
    },
  };
}
