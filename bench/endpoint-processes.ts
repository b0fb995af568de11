/**
 * Child processes of the endpoint benchmark: the real `flowbridge serve`
 * (one process or `--workers N`), the load generator and the raw RSA loops,
 * each a separate Node process so none shares another's event loop.
 * @module
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build.js';
import type { BenchFixture } from './endpoint-setup.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Fork a TypeScript module of this directory with tsx, IPC attached. */
export function forkTs(file: string): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The next IPC message of `child` (rejects if it exits first). */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => { child.off('exit', onExit); resolve(m as T); };
    const onExit = (code: number | null): void => { child.off('message', onMessage); reject(new Error(`child exited (${String(code)})`)); };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** How the server is started: the CLI entry and the handlers module it loads. */
export interface ServerEntry {
  readonly label: string;
  readonly cli: string;
  readonly handlers: string;
  /** More environment for the process. */
  readonly env?: Readonly<Record<string, string>>;
}

/** From the checkout: `bin/flowbridge.js` runs the TypeScript sources through tsx (development), even when a dist/ exists. */
export const TSX_ENTRY: ServerEntry = { label: 'tsx (sources)', cli: 'bin/flowbridge.js', handlers: 'bench/endpoint-handlers.ts', env: { FLOWBRIDGE_FROM_SOURCES: '1' } };

/**
 * Build the CLI and the bench handlers with `npm run build`'s own function
 * (scripts/build.ts: pure-JS dependencies bundled), the way a deployment runs
 * the build rather than compiling TypeScript at every start. Written under
 * node_modules/.cache so the external packages resolve and git ignores it.
 */
export async function buildServerBundle(): Promise<ServerEntry> {
  const outdir = join(ROOT, 'node_modules', '.cache', 'flowbridge-bench');
  await buildCli(outdir, { handlers: 'bench/endpoint-handlers.ts' }, { clean: true });
  // Under node_modules the root package.json's "type" does not apply.
  writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
  // Files the sources find relative to their own location (e.g. main.ts's sandbox demo project).
  rmSync(join(outdir, '..', 'examples'), { recursive: true, force: true });
  cpSync(join(ROOT, 'examples'), join(outdir, '..', 'examples'), { recursive: true });
  return { label: 'built bundle', cli: join(outdir, 'cli', 'main.js'), handlers: join(outdir, 'handlers.js') };
}

/** A running `flowbridge serve`. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Process start (spawn) to the first 200 answer to an encrypted ping, ms. */
  readonly firstPingMs: number;
  stop(): Promise<void>;
}

/**
 * Spawn `flowbridge serve` and send `ping` until one is answered 200.
 * The clock starts just before spawn, so the figure includes Node's own
 * start-up, loading the CLI, config validation, key parsing and migrations.
 */
export async function startServerProcess(
  fixture: BenchFixture, ping: () => { payload: string; headers: Readonly<Record<string, string>> }, workers: number, entry: ServerEntry,
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [entry.cli, 'serve', '--handlers', entry.handlers, ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, ...entry.env, FLOWBRIDGE_PORT: String(port), FLOWBRIDGE_HOST: '127.0.0.1', FLOWBRIDGE_DATA_DIR: fixture.dataDir,
      FLOWBRIDGE_DATABASE_URL: fixture.databaseUrl, FLOWBRIDGE_APP_SECRET: fixture.appSecret, FLOWBRIDGE_KEY_PASSPHRASE: fixture.passphrase,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let firstPingMs = Number.NaN;
  for (let attempt = 0; attempt < 3000 && child.exitCode === null; attempt++) {
    const p = ping();
    const res = await fetch(`${url}/flows/endpoint`, { method: 'POST', body: p.payload, headers: p.headers }).catch(() => undefined);
    if (res?.status === 200 && (await res.text()).length > 0) { firstPingMs = performance.now() - started; break; }
    await new Promise((r) => setTimeout(r, 2));
  }
  if (Number.isNaN(firstPingMs)) { child.kill('SIGKILL'); throw new Error('the server never answered a ping'); }
  return {
    child, url, firstPingMs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}
