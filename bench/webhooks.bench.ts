/**
 * Webhook intake benchmark (`npm run bench:webhooks`, issue 6 "Done when"):
 * signed `nfm_reply` deliveries posted at concurrency 64 to the real webhook
 * stack (`buildApp` over the store's repositories on a migrated database,
 * SQLite by default, PostgreSQL with `BENCH_DATABASE_URL=postgres://…`),
 * next to a trivial `node:http` POST server measured in the same run with
 * the same load generator. Every delivery is a distinct event completing a
 * distinct session. After the run the stored rows are counted: every
 * acknowledged (200) event must be a `webhook_events` row (stored before its
 * 200), and once processing drained, a submission.
 *
 * Goal: acknowledged events/s ≥ 0.25 of the trivial server's req/s. Figures
 * are printed, never asserted; the run fails only when an acknowledged event
 * is missing. The generator shares the machine (loopback): say so with the figures.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '../src/store/create-database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createSessionRepo } from '../src/store/repos/session-repo.js';
import { signBody } from '../src/whatsapp/hub-signature.js';
import type { LoadJob, LoadResult, PreparedRequest } from './endpoint-load.js';
import { forkTs, nextMessage } from './endpoint-processes.js';
import { ENV_APP_SECRET, ENV_DATABASE_URL, type StoredCounts } from './webhooks-server.js';

const CONCURRENCY = 64;
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const POOL = Number(process.env.BENCH_WEBHOOK_POOL ?? 30_000);
const GOAL = 0.25;

const dir = mkdtempSync(join(tmpdir(), 'fb-bench-webhooks-'));
const appSecret = randomBytes(16).toString('hex');

function nfmReplyBody(wamid: string, flowToken: string): string {
  const response = { flow_token: flowToken, rating: '5', comment: 'Quick and friendly' };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      contacts: [{ profile: { name: 'Ann' }, wa_id: '16505551234' }],
      messages: [{
        context: { from: '15550783881', id: 'wamid.FLOWMSG' }, from: '16505551234', id: wamid, timestamp: '1702502473', type: 'interactive',
        interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: JSON.stringify(response) } },
      }],
    } }] }],
  });
}

/** A migrated database with `count` open sessions, and one signed delivery per session. */
async function prepare(url: string, count: number, tag: string): Promise<PreparedRequest[]> {
  const store = createDatabase(url);
  const tokens: string[] = [];
  try {
    await migrateToLatest(store);
    await store.db.transaction().execute(async (trx) => {
      const repo = createSessionRepo(trx);
      for (let i = 0; i < count; i++) tokens.push((await repo.createSession({ flowId: 'bench-flow', contactPhone: '16505551234', ttlMs: 86_400_000 })).flowToken);
    });
  } finally {
    await store.close();
  }
  return tokens.map((token, i) => {
    const payload = nfmReplyBody(`wamid.BENCH${tag}${String(i).padStart(7, '0')}`, token);
    return { payload, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(payload, appSecret) } };
  });
}

function forkServer(kind: 'real' | 'trivial', databaseUrl = ''): ChildProcess {
  return fork(fileURLToPath(new URL('./webhooks-server.ts', import.meta.url)), [kind], {
    // `BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of the real server (node --cpu-prof) there.
    execArgv: ['--import', 'tsx', ...(kind === 'real' && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [ENV_DATABASE_URL]: databaseUrl, [ENV_APP_SECRET]: appSecret },
  });
}

const loader = forkTs('./endpoint-load.ts');
await nextMessage<string>(loader);
async function load(url: string, requests: readonly PreparedRequest[], maxRequests = requests.length): Promise<LoadResult> {
  const job: LoadJob = {
    url: `${url}/webhooks/whatsapp`, concurrency: CONCURRENCY, durationMs: RUN_MS, maxRequests,
    deadlineMs: 10_000, hangMs: 15_000, emptyOk: true, requests,
  };
  loader.send(job);
  const result = await nextMessage<LoadResult | { error: string }>(loader);
  if ('error' in result) throw new Error(`load generator: ${result.error}`);
  return result;
}

const fmt = (r: LoadResult): string =>
  `${r.reqPerSec.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.ok + r.late} acknowledged of ${r.sent}; other ${JSON.stringify(r.otherStatus)}, errors ${r.errors})`;

let failed = false;
try {
  const load0 = loadavg()[0] ?? 0;
  const pgUrl = process.env.BENCH_DATABASE_URL;
  console.log(`webhooks bench: ${availableParallelism()} cores, SQLite synchronous=${process.env.BENCH_SQLITE_SYNC ?? "FULL (the store's own setting)"}, load average ${load0.toFixed(2)} at start, node ${process.version}, c=${CONCURRENCY}, ${RUN_MS} ms per run, ${ROUNDS} alternating rounds; generator on the same machine (loopback)`);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const trivialServer = forkServer('trivial');
    const { url: trivialUrl } = await nextMessage<{ url: string }>(trivialServer);
    // The trivial server stores nothing: its bodies are replayed for the whole run (same duration as the real one).
    const reference = await load(trivialUrl, Array.from({ length: 512 }, (_, i) => ({ payload: nfmReplyBody(`wamid.T${i}`, 't'), headers: { 'content-type': 'application/json' } })), 1_000_000);
    trivialServer.send('exit');
    console.log(`round ${round} trivial node:http POST      ${fmt(reference)}`);

    const url = pgUrl ?? `sqlite:${join(dir, `round-${round}.db`)}`;
    const requests = await prepare(url, POOL, `R${round}`);
    const server = forkServer('real', url);
    const { url: realUrl } = await nextMessage<{ url: string }>(server);
    const result = await load(realUrl, requests);
    server.send('count');
    const counts = await nextMessage<StoredCounts>(server);
    server.send('exit');
    const acknowledged = result.ok + result.late;
    const ratio = result.reqPerSec / reference.reqPerSec;
    ratios.push(ratio);
    console.log(`round ${round} flowbridge webhooks (${pgUrl === undefined ? 'SQLite' : 'PostgreSQL'}) ${fmt(result)}  ×${ratio.toFixed(2)} of trivial`);
    console.log(`        stored: ${counts.events} webhook_events rows (${counts.processed} processed), ${counts.submissions} submissions, for ${acknowledged} acknowledged`);
    if (counts.events < acknowledged || counts.submissions < acknowledged) {
      console.error(`        FAILED: ${acknowledged - Math.min(counts.events, counts.submissions)} acknowledged event(s) not stored or not processed`);
      failed = true;
    }
    if (pgUrl !== undefined) break;
  }
  const best = Math.max(...ratios);
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] ?? 0 : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  console.log(`\nratio to the trivial server: median ${median.toFixed(2)}, best ${best.toFixed(2)} (goal ≥ ${GOAL}) ${median >= GOAL ? 'met' : 'MISSED'}`);
  console.log(`machine load average: ${load0.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  failed = true;
} finally {
  loader.send('exit');
  rmSync(dir, { recursive: true, force: true });
}
// Exit explicitly: a child's IPC channel can keep the event loop alive after the report.
process.exit(failed ? 1 : 0);
