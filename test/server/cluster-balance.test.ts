/**
 * Keep-alive connections spread over the workers of a real `node:cluster`
 * run by `runClusterPrimary`, as `flowbridge serve --workers 2` runs them:
 * the test blocks worker 2's event loop while it opens 24 keep-alive
 * connections, so worker 1 accepts every one (as happens when one worker
 * wakes first for a burst), then keeps using them. Worker 1 is the busy one
 * (each request holds its event loop 3 ms); the workers' reports and the
 * primary's totals must bring both workers near 12 each.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLUSTER = JSON.stringify(new URL('../../src/server/cluster.ts', import.meta.url).href);
const dir = mkdtempSync(join(tmpdir(), 'fb-cluster-balance-'));
let child: ChildProcess | undefined;
afterAll(() => {
  // Also after a timeout, when the test's own finally may not have run.
  if (child?.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const SCRIPT = [
  "import cluster from 'node:cluster';",
  "import { createServer } from 'node:http';",
  `const { balanceWorkerConnections, runClusterPrimary } = await import(${CLUSTER});`,
  'if (cluster.isPrimary) {',
  "  cluster.on('message', (_w, m) => process.send?.(m));",
  "  process.on('message', (m) => { if (m === 'block') cluster.workers?.[2]?.send('block'); });",
  "  process.exitCode = await runClusterPrimary({ workers: 2, shutdownGraceMs: 2000, log: () => undefined });",
  '  process.disconnect?.();',
  '} else {',
  // Worker 1 is the busy one: its event loop is held 3 ms per request, so it is slow to accept.
  "  const hold = new Int32Array(new SharedArrayBuffer(4));",
  '  const server = createServer((_req, res) => { if (cluster.worker?.id === 1) Atomics.wait(hold, 0, 0, 3); res.end(String(cluster.worker?.id)); });',
  '  balanceWorkerConnections(server);',
  // listen(0) in a cluster: every worker shares the one port the primary chose.
  "  server.listen(0, '127.0.0.1', () => { if (cluster.worker?.id === 2) process.send?.({ port: server.address().port }); });",
  "  process.on('message', (m) => {",
  "    if (m === 'block') process.send?.('blocking', () => Atomics.wait(hold, 0, 0, 1500));",
  "    if (m === 'flowbridge:shutdown') server.close(() => process.disconnect());",
  '  });',
  '}',
].join('\n');

function next(child: ChildProcess, accept: (m: unknown) => boolean): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => { if (accept(m)) { child.off('exit', onExit); child.off('message', onMessage); resolve(m); } };
    const onExit = (code: number | null): void => { child.off('message', onMessage); reject(new Error(`cluster exited (${String(code)})`)); };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** 24 requests at once on the keep-alive agent: which worker answered each. */
async function round(port: number, agent: Agent): Promise<Record<string, number>> {
  const ids = await Promise.all(Array.from({ length: 24 }, () => new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.once('end', () => resolve(body));
    });
    req.once('error', reject);
    req.end();
  })));
  const byWorker: Record<string, number> = {};
  for (const id of ids) byWorker[id] = (byWorker[id] ?? 0) + 1;
  return byWorker;
}

describe('serve --workers: connection balancing', () => {
  it('moves keep-alive connections from a worker that took them all to the idle one', async () => {
    const script = join(dir, 'cluster.mts');
    writeFileSync(script, SCRIPT);
    const proc = fork(script, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child = proc;
    const agent = new Agent({ keepAlive: true, maxSockets: 24 });
    try {
      const { port } = await next(proc, (m) => typeof m === 'object' && m !== null && 'port' in m) as { port: number };
      const blocking = next(proc, (m) => m === 'blocking');
      proc.send('block');
      await blocking;
      const first = await round(port, agent);
      expect(first).toEqual({ 1: 24 });

      let last = first;
      for (let i = 0; i < 60 && !((last['1'] ?? 0) <= 15 && (last['2'] ?? 0) >= 9); i++) {
        await new Promise((r) => setTimeout(r, 100));
        last = await round(port, agent);
      }
      expect(last['2'] ?? 0).toBeGreaterThanOrEqual(9);
      expect(last['1'] ?? 0).toBeLessThanOrEqual(15);
    } finally {
      agent.destroy();
      proc.kill('SIGTERM');
      await new Promise((r) => { if (proc.exitCode !== null) r(undefined); else proc.once('exit', r); });
    }
  }, 20_000);
});
