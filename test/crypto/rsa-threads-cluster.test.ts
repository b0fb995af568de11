/**
 * How many RSA threads a process starts by default (`defaultRsaThreads`),
 * asked of a real `node:cluster` primary and of a worker it forks, as
 * `flowbridge serve --workers N` runs them: a worker takes one (the other
 * cores run the other workers), a single process two, none on one core.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CRYPTO = JSON.stringify(new URL('../../src/whatsapp/flow-crypto.ts', import.meta.url).href);
const dir = mkdtempSync(join(tmpdir(), 'fb-rsa-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ask a primary and its forked worker, on a machine made to report `cores` cores. */
async function probe(cores: number): Promise<{ primary: number; worker: number }> {
  const script = join(dir, `probe-${cores}.mts`);
  writeFileSync(script, [
    "import cluster from 'node:cluster';",
    "import os from 'node:os';",
    "import { syncBuiltinESMExports } from 'node:module';",
    // The core count the module reads, in the primary and in the worker (the same script runs in both).
    `os.availableParallelism = () => ${cores};`,
    'syncBuiltinESMExports();',
    `const { defaultRsaThreads } = await import(${CRYPTO});`,
    'if (cluster.isPrimary) {',
    '  const worker = cluster.fork();',
    "  worker.once('message', (inWorker) => { process.send?.({ primary: defaultRsaThreads(), worker: inWorker }); worker.kill(); });",
    '} else {',
    '  process.send?.(defaultRsaThreads());',
    '}',
  ].join('\n'));
  const child = fork(script, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    return await new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as { primary: number; worker: number }));
      child.once('exit', (code) => reject(new Error(`probe exited (${String(code)}) without an answer`)));
    });
  } finally {
    child.kill();
  }
}

describe('default RSA threads', () => {
  it('gives a single process two threads, a cluster worker one, and none on a single core', async () => {
    expect(await probe(8)).toEqual({ primary: 2, worker: 1 });
    expect(await probe(2)).toEqual({ primary: 2, worker: 1 });
    expect(await probe(1)).toEqual({ primary: 0, worker: 0 });
  });
});
