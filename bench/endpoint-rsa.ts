/**
 * Raw RSA-OAEP ceiling of the machine (child process of
 * `bench/endpoint.bench.ts`): `crypto.privateDecrypt` with a key parsed once
 * into a KeyObject, in a tight loop, exactly the operation every endpoint
 * request costs (spec §2.3 step 1). The parent forks N of these at once to get
 * the N-process ceiling.
 *
 * Protocol: parent sends {@link RsaJob}; child answers `'ready'` after parsing,
 * waits for `'go'`, then answers {@link RsaResult} and exits.
 * @module
 */
import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';

/** What the parent sends first. */
export interface RsaJob {
  readonly privatePem: string;
  readonly passphrase: string;
  readonly wrappedKeyB64: string;
  readonly durationMs: number;
}

/** What the child answers. */
export interface RsaResult {
  readonly ops: number;
  readonly elapsedMs: number;
  /** CPU (user+system, all threads) the loop used, µs: below `elapsedMs` when the machine is shared. */
  readonly cpuUs: number;
}

/** Decrypt in a loop for `durationMs`; returns the count, the exact elapsed time and the CPU used. */
export function rsaLoop(job: RsaJob): RsaResult {
  const key = createPrivateKey({ key: job.privatePem, format: 'pem', passphrase: job.passphrase });
  const wrapped = Buffer.from(job.wrappedKeyB64, 'base64');
  const decrypt = (): Buffer => privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped);
  for (let i = 0; i < 50; i++) decrypt();
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let ops = 0;
  let now = start;
  while (now - start < job.durationMs) {
    for (let i = 0; i < 16; i++) decrypt();
    ops += 16;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  return { ops, elapsedMs: now - start, cpuUs: cpu.user + cpu.system };
}

if (process.send !== undefined) {
  let job: RsaJob | undefined;
  process.on('message', (message: unknown) => {
    if (message === 'go' && job !== undefined) {
      process.send?.(rsaLoop(job), () => process.exit(0));
    } else if (typeof message === 'object' && message !== null) {
      job = message as RsaJob;
      process.send?.('ready');
    }
  });
}
