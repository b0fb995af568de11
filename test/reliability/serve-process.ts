/**
 * Reliability harness, part 1: real `flowbridge serve` child processes
 * (bin/flowbridge.js through tsx, as an operator runs it), a fresh database
 * per test (a SQLite file in a temp dir, or a PostgreSQL database of its own
 * so pg-boss's schema is private too), and the signed `nfm_reply` webhook
 * Meta would post for one completed flow.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import { createDatabase, type StoreDialect } from '../../src/store/create-database.js';
import { testPostgresUrl } from '../../src/store/open-test-database.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { envelope, messagesValue, nfmReply } from '../webhooks/payloads.js';

const BIN = new URL('../../bin/flowbridge.js', import.meta.url).pathname;

/** The app secret every reliability server verifies webhooks with. */
export const APP_SECRET = 'reliability-app-secret-3b91';
/** The admin API key of every reliability server. */
export const API_KEY = 'reliability-api-key-0123456789abcdef';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

/** A database for one test: its URL and how to drop it. */
export interface ReliabilityDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** One statement on the test server's `test` database (CREATE/DROP DATABASE run outside a transaction). */
async function admin(text: string): Promise<void> {
  const store = createDatabase(testPostgresUrl);
  try {
    await sql.raw(text).execute(store.db);
  } finally {
    await store.close();
  }
}

/** A fresh database: `sqlite:<dataDir>/flowbridge.db`, or a new PostgreSQL database (its own pg-boss schema included). */
export async function freshDatabase(dialect: StoreDialect, dataDir: string): Promise<ReliabilityDatabase> {
  if (dialect === 'sqlite') return { url: `sqlite:${dataDir}/flowbridge.db`, drop: () => Promise.resolve() };
  const name = `fb_rel_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** A running (or killed) server process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** stdout + stderr so far (JSON log lines). */
  output(): string;
  /** Resolves once /readyz answers 200. */
  ready(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Start `flowbridge serve` on a free port with these FLOWBRIDGE_* (and ${VAR})
 * variables; `cli` is the entry run (default bin/flowbridge.js on the sources),
 * `args` more options of `serve`.
 */
export async function startServe(env: Readonly<Record<string, string>>, { cli = BIN, args = [] }: { cli?: string; args?: readonly string[] } = {}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    env: {
      PATH: process.env.PATH ?? '', FLOWBRIDGE_FROM_SOURCES: '1', FLOWBRIDGE_LOG_LEVEL: 'warn', FLOWBRIDGE_APP_SECRET: APP_SECRET, FLOWBRIDGE_API_KEY: API_KEY,
      // A configured (unreachable) Graph API: no sandbox emulator in the process.
      FLOWBRIDGE_ACCESS_TOKEN: 'EAAreliability', FLOWBRIDGE_PHONE_NUMBER_ID: '1122334455', FLOWBRIDGE_GRAPH_API_BASE_URL: 'http://127.0.0.1:9',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => { gone = true; });
  const url = `http://127.0.0.1:${port}`;
  return {
    child, url, exited, output: () => out,
    async ready() {
      for (let i = 0; i < 600; i++) {
        if (gone) throw new Error(`flowbridge serve exited before it was ready:\n${out}`);
        const status = await fetch(`${url}/readyz`).then((r) => r.status, () => 0);
        if (status === 200) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`flowbridge serve was not ready within 30 s:\n${out}`);
    },
    async kill(signal) {
      if (!gone) child.kill(signal);
      await exited;
    },
  };
}

/** The signed webhook body of one completion: wamid `wamid`, answers `response` (with its flow_token). */
export function completionWebhook(wamid: string, response: Record<string, unknown>): { body: string; signature: string } {
  const body = JSON.stringify(envelope('messages', messagesValue([nfmReply(wamid, response)])));
  return { body, signature: signBody(body, APP_SECRET) };
}

/** POST one webhook; the HTTP status, or 0 when the server is not there. */
export async function postWebhook(serverUrl: string, hook: { body: string; signature: string }): Promise<number> {
  return fetch(`${serverUrl}/webhooks/whatsapp`, {
    method: 'POST', body: hook.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': hook.signature },
  }).then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0);
}

/** `fetch` to `/api<path>` with the API key. */
export async function api(serverUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${serverUrl}/api${path}`, {
    method, headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Resolve when `check` holds, polling every 50 ms; fails after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A seeded generator (mulberry32): a failing random run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
