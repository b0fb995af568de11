/**
 * Delivery pipeline benchmark (`npm run bench:delivery`, issue 6 "Done
 * when"): 10,000 submissions through the whole pipeline — session
 * completion with the transactional outbox (answers frozen, one job,
 * enqueued in the same transaction), the queue, the worker, and the real
 * Standard Webhooks sink posting to a fast fake consumer on loopback, in its
 * own process as the outside system it stands for (`delivery-sink.ts`) — on
 * SQLite (in-process queue) and PostgreSQL (pg-boss), each next to the raw
 * single-row insert rate of the same database measured in the same run.
 *
 * Timed: from the first completion to the last delivery recorded
 * (completions are produced while the worker delivers). Sessions are
 * created before the clock starts (they exist before a flow is answered).
 * Goals: pipeline ≥ 25% of the raw insert rate; ≥ 500 deliveries/s on
 * SQLite. Figures are printed, never asserted; the run fails only when a
 * submission is not delivered exactly once.
 *
 * Env: BENCH_SUBMISSIONS (10000), BENCH_CONCURRENCY (16, SQLite's
 * `deliveryConcurrency`), BENCH_PG_CONCURRENCY (64), BENCH_PG_PRODUCERS (24),
 * BENCH_PG_POOL (40), BENCH_DIALECTS (`sqlite,postgres`),
 * FLOWBRIDGE_TEST_PG_URL (PostgreSQL, default postgres://postgres@127.0.0.1:5432/test).
 * @module
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import PgBoss from 'pg-boss';
import { createPgBossQueue } from '../src/queue/pgboss-queue.js';
import { createSqliteQueue } from '../src/queue/sqlite-queue.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { createDeliveryWorker } from '../src/services/delivery/worker.js';
import type { StoreDialect } from '../src/store/create-database.js';
import { createDatabase } from '../src/store/create-database.js';
import { testPostgresUrl } from '../src/store/open-test-database.js';
import { createDeliveryRepo } from '../src/store/repos/delivery-repo.js';
import { createSessionRepo } from '../src/store/repos/session-repo.js';
import { createDeliveryOutbox } from '../src/services/delivery/outbox.js';
import { leadFlow, leadResponse, openPipelineStore, webhookTo } from '../test/delivery-pipeline/pipeline-kit.js';
import type { SinkLedger } from './delivery-sink.js';
import { forkTs, nextMessage } from './endpoint-processes.js';

const N = Number(process.env.BENCH_SUBMISSIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** PostgreSQL hides round-trip latency behind more deliveries in flight. */
const PG_CONCURRENCY = Number(process.env.BENCH_PG_CONCURRENCY ?? 64);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as StoreDialect[];
const RAW_ROWS = Number(process.env.BENCH_RAW_ROWS ?? 5000);
/** Completions in flight at once (an endpoint / webhook intake serving many users). */
const PRODUCERS = 8;
/** PostgreSQL: completions in flight and the pool they share with the worker (round trips, not the CPU, bound it). */
const PG_PRODUCERS = Number(process.env.BENCH_PG_PRODUCERS ?? 24);
const PG_POOL = Number(process.env.BENCH_PG_POOL ?? 40);

// The fake consumer runs in its own process (an outside system), with its own ledger of deliveries.
const sinkProcess = forkTs('./delivery-sink.ts');
const sink = await nextMessage<{ url: string }>(sinkProcess);
async function sinkLedger(): Promise<SinkLedger> {
  sinkProcess.send('count');
  return nextMessage<SinkLedger>(sinkProcess);
}
let duplicates = 0;

interface Figures { readonly dialect: StoreDialect; readonly raw: number; readonly pipeline: number; readonly completions: number }

async function benchOne(dialect: StoreDialect): Promise<Figures> {
  sinkProcess.send('reset');
  await nextMessage(sinkProcess);
  const store = await openPipelineStore(dialect, [leadFlow([webhookTo(sink.url)])]);
  const bosses: PgBoss[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    const db = store.test.store.db;
    // Raw single-row insert rate: one autocommitted INSERT at a time, through the same driver and pool.
    await db.schema.createTable('bench_raw').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('payload', 'text').addColumn('created_at', 'text').execute();
    const rawStart = performance.now();
    for (let i = 0; i < RAW_ROWS; i++) {
      await db.insertInto('bench_raw' as never).values({ id: `r${i}`, payload: '{"email":"ana@example.com","plan_choice":"PRO"}', created_at: new Date().toISOString() }).execute();
    }
    const raw = RAW_ROWS / ((performance.now() - rawStart) / 1000);

    // PostgreSQL: a pool sized for the concurrency (completions + deliveries); SQLite has one connection.
    const pipelineDb = dialect === 'postgres' ? createDatabase(testPostgresUrl, { searchPath: store.test.location, poolSize: PG_POOL }) : store.test.store;
    if (dialect === 'postgres') closers.push(() => pipelineDb.close());
    const repo = createDeliveryRepo(pipelineDb.db);
    const sessionRepo = createSessionRepo(pipelineDb.db);
    const sessions: Array<{ flowToken: string }> = [];
    for (let i = 0; i < N; i++) sessions.push(await sessionRepo.createSession({ flowId: 'F1', contactPhone: '447700900123' }));

    let queue: JobQueue;
    if (dialect === 'postgres') {
      const boss = new PgBoss({ connectionString: testPostgresUrl, schema: store.test.location, max: 10, supervise: false, schedule: false });
      boss.on('error', (e) => console.error('pg-boss:', e.message));
      await boss.start();
      bosses.push(boss);
      queue = createPgBossQueue({ boss, repo, pollingIntervalSeconds: 0.5 });
    } else {
      queue = createSqliteQueue({ repo, idlePollMs: 50 });
    }
    let delivered = 0;
    let done: () => void = () => undefined;
    const allDelivered = new Promise<void>((resolve) => (done = resolve));
    const worker = createDeliveryWorker({
      repo, queue, catalogue: store.catalogue,
      config: { deliveryMaxAttempts: 25, deliveryMaxAgeHours: 72, deliveryConcurrency: dialect === 'postgres' ? PG_CONCURRENCY : CONCURRENCY },
      onEvent: (e) => {
        if (e.kind === 'delivered' && ++delivered === N) done();
      },
      onError: (e) => console.error('worker:', e),
    });
    await worker.start();
    const outbox = createDeliveryOutbox({ catalogue: store.catalogue, queue, repo });

    const start = performance.now();
    let next = 0;
    let completedAt = 0;
    await Promise.all(Array.from({ length: dialect === 'postgres' ? PG_PRODUCERS : PRODUCERS }, async () => {
      while (next < N) {
        const session = sessions[next++]!;
        const result = await sessionRepo.completeSession(session.flowToken, leadResponse(session.flowToken, `u${next}@example.com`), outbox.onCompleted);
        if (!result.created) throw new Error('completion not created');
        outbox.afterCommit();
      }
    }));
    completedAt = performance.now();
    await allDelivered;
    const seconds = (performance.now() - start) / 1000;
    await worker.stop();

    const counts = await repo.countByState();
    const ledger = await sinkLedger();
    duplicates += ledger.duplicates;
    if (counts.delivered !== N || ledger.received !== N || ledger.unsigned > 0) throw new Error(`${dialect}: ${counts.delivered} delivered rows, ${ledger.received} distinct deliveries received (${ledger.unsigned} unsigned), expected ${N}`);
    return { dialect, raw, pipeline: N / seconds, completions: N / ((completedAt - start) / 1000) };
  } finally {
    for (const boss of bosses) await boss.stop({ graceful: false, wait: true, close: true });
    for (const close of closers) await close();
    await store.close();
  }
}

console.log(`delivery bench: ${N} submissions per database, deliveryConcurrency ${CONCURRENCY} (SQLite) / ${PG_CONCURRENCY} (PostgreSQL), concurrent completions ${PRODUCERS} (SQLite) / ${PG_PRODUCERS} (PostgreSQL, pool ${PG_POOL}), ${availableParallelism()} cores, load average ${(loadavg()[0] ?? 0).toFixed(2)}, node ${process.version}`);
console.log('sink: the Standard Webhooks sink (signed POST) to a fake consumer on loopback, in its own process (the outside system)');
console.log('durability: SQLite in WAL mode with synchronous = FULL, PostgreSQL with its default synchronous_commit = on: every commit, each raw insert included, is flushed to disk before it returns');
let failed = false;
try {
  for (const dialect of DIALECTS) {
    const f = await benchOne(dialect);
    const ratio = f.pipeline / f.raw;
    const goals = [`≥25% of raw: ${ratio >= 0.25 ? 'met' : 'NOT met'}`, ...(dialect === 'sqlite' ? [`≥500/s: ${f.pipeline >= 500 ? 'met' : 'NOT met'}`] : [])];
    console.log(`${dialect.padEnd(8)} raw single-row inserts ${f.raw.toFixed(0).padStart(7)}/s | pipeline ${f.pipeline.toFixed(0).padStart(6)} submissions/s delivered (${(ratio * 100).toFixed(1)}% of raw; completions alone ${f.completions.toFixed(0)}/s) | ${goals.join(', ')}`);
  }
  if (duplicates > 0) console.log(`duplicate deliveries seen by the consumer: ${duplicates}`);
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  sinkProcess.send('exit');
}
process.exit(failed ? 1 : 0);
