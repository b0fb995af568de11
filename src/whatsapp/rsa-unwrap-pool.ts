/**
 * RSA-OAEP key unwrapping on worker threads (spec §2.3 step 1): the one
 * costly step of every endpoint request, moved off the event loop so that
 * HTTP parsing, AES-GCM and replies proceed while keys are unwrapped, and
 * one server process can use a second core. WebCrypto was measured first:
 * Node 20 runs most of its RSA decrypt synchronously before handing off
 * (≈170 of 225 µs on the calling thread), so it does not free the loop.
 *
 * The workers get the parsed private keys once (KeyObjects are cloneable)
 * and answer `{ aesKey, keyIndex }` or the failure reason, trying the keys in
 * order exactly as `decryptFlowRequest` does. A worker is referenced only
 * while it has requests in flight, so an idle pool never keeps a process
 * alive. If a worker dies, its requests are rejected (the caller falls back
 * to the synchronous path) and a replacement is started for the next one.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** What a worker answers. */
type Reply =
  | { readonly id: number; readonly ok: true; readonly aesKey: Uint8Array; readonly keyIndex: number }
  | { readonly id: number; readonly ok: false; readonly reason: 'bad-aes-key' | 'key-unwrap-failed' };

/** Result of {@link RsaUnwrapPool.unwrap}. */
export type UnwrapResult =
  | { readonly ok: true; readonly aesKey: Buffer; readonly keyIndex: number }
  | { readonly ok: false; readonly reason: 'bad-aes-key' | 'key-unwrap-failed' };

/** A pool of unwrapping threads; see {@link createRsaUnwrapPool}. */
export interface RsaUnwrapPool {
  /** Unwrap an `encrypted_aes_key`; rejects only when a worker failed (use the synchronous path then). */
  unwrap(wrapped: Uint8Array): Promise<UnwrapResult>;
  /** Stop the threads; later calls reject. */
  close(): Promise<void>;
}

// Plain CommonJS run with `eval: true`: no loader or build step needed in the thread (tsx, vitest, dist alike).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { privateDecrypt, constants } = require('node:crypto');
const keys = workerData.keys;
const size = workerData.aesKeyBytes;
parentPort.on('message', (m) => {
  let wrongLength = false;
  for (let i = 0; i < keys.length; i++) {
    let key;
    try { key = privateDecrypt({ key: keys[i], padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, m.wrapped); } catch { continue; }
    if (key.length === size) { parentPort.postMessage({ id: m.id, ok: true, aesKey: key, keyIndex: i }); return; }
    wrongLength = true;
  }
  parentPort.postMessage({ id: m.id, ok: false, reason: wrongLength ? 'bad-aes-key' : 'key-unwrap-failed' });
});
`;

interface Slot {
  worker: Worker;
  readonly pending: Map<number, { resolve: (r: UnwrapResult) => void; reject: (e: Error) => void }>;
}

/** Start `threads` unwrapping threads for `keys` (current first, as for `decryptFlowRequest`). */
export function createRsaUnwrapPool(keys: readonly KeyObject[], threads: number, aesKeyBytes = 16): RsaUnwrapPool {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be a positive integer');
  let nextId = 0;
  let closed = false;

  function start(slot: Omit<Slot, 'worker'> & { worker?: Worker }): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { keys: [...keys], aesKeyBytes } });
    worker.unref();
    const s = slot as Slot;
    s.worker = worker;
    worker.on('message', (reply: Reply) => {
      const waiting = s.pending.get(reply.id);
      if (waiting === undefined) return;
      s.pending.delete(reply.id);
      if (s.pending.size === 0) worker.unref();
      waiting.resolve(reply.ok ? { ok: true, aesKey: Buffer.from(reply.aesKey), keyIndex: reply.keyIndex } : { ok: false, reason: reply.reason });
    });
    const fail = (why: string): void => {
      for (const { reject } of s.pending.values()) reject(new Error(`RSA worker ${why}`));
      s.pending.clear();
      if (!closed && s.worker === worker) start(s);
    };
    worker.on('error', (err) => fail(`failed: ${err.message}`));
    worker.on('exit', (code) => { if (s.worker === worker && !closed) fail(`exited (${code})`); });
    return s;
  }

  const slots: Slot[] = Array.from({ length: threads }, () => start({ pending: new Map() }));

  return {
    unwrap(wrapped) {
      if (closed) return Promise.reject(new Error('RSA worker pool is closed'));
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      const chosen = slot;
      return new Promise<UnwrapResult>((resolve, reject) => {
        if (chosen.pending.size === 0) chosen.worker.ref();
        chosen.pending.set(id, { resolve, reject });
        chosen.worker.postMessage({ id, wrapped });
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map(async (s) => {
        for (const { reject } of s.pending.values()) reject(new Error('RSA worker pool is closed'));
        s.pending.clear();
        await s.worker.terminate();
      }));
    },
  };
}
