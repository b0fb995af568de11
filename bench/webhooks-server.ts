/**
 * Child process of `bench/webhooks.bench.ts`: either the real webhook stack
 * (`buildApp` with the store's repositories, the session service and the
 * durable intake on a migrated database: what `flowbridge serve` runs for
 * `POST /webhooks/whatsapp`) or a trivial `node:http` POST server (reads the
 * body, answers 200): the same-run reference.
 *
 * Protocol: argv[2] is `real` or `trivial`; the child answers `{ url }` once
 * listening. For `real`, the message `'count'` is answered with the stored
 * rows after background processing has drained; `'exit'` stops it.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Secret } from '../src/config/secret.js';
import { buildApp } from '../src/server/app.js';
import { createHandlerRegistry } from '../src/services/flow-handlers.js';
import { createSessionService } from '../src/services/sessions.js';
import { createWebhookIntake } from '../src/services/webhook-intake.js';
import { createDatabase } from '../src/store/create-database.js';
import { createFlowAlertRepo } from '../src/store/repos/flow-alert-repo.js';
import { createFlowMediaRepo } from '../src/store/repos/flow-media-repo.js';
import { createMessageStatusRepo } from '../src/store/repos/message-status-repo.js';
import { createSessionRepo } from '../src/store/repos/session-repo.js';
import { createWebhookEventRepo } from '../src/store/repos/webhook-event-repo.js';

/** What the parent passes in the environment of a `real` child. */
export const ENV_DATABASE_URL = 'BENCH_WEBHOOK_DATABASE_URL';
export const ENV_APP_SECRET = 'BENCH_WEBHOOK_APP_SECRET';

/** Row counts after the run. */
export interface StoredCounts {
  readonly events: number;
  readonly processed: number;
  readonly submissions: number;
}

async function trivial(): Promise<void> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => { res.writeHead(200, { 'content-length': 0 }).end(); });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  process.on('message', (m) => { if (m === 'exit') server.close(() => process.exit(0)); });
}

async function real(): Promise<void> {
  const store = createDatabase(process.env[ENV_DATABASE_URL] ?? '');
  // What-if knob, off by default: `BENCH_SQLITE_SYNC=NORMAL` measures WAL without an fsync per commit
  // (durable across a process crash, not across power loss). The default run measures what serve runs.
  const sync = process.env.BENCH_SQLITE_SYNC;
  if (store.dialect === 'sqlite' && sync !== undefined && /^(NORMAL|FULL|OFF)$/.test(sync)) await sql.raw(`pragma synchronous = ${sync}`).execute(store.db);
  const logger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const sessions = createSessionService(createSessionRepo(store.db));
  const intake = createWebhookIntake({
    events: createWebhookEventRepo(store.db), sessions, statuses: createMessageStatusRepo(store.db),
    alerts: createFlowAlertRepo(store.db), media: createFlowMediaRepo(store.db), log: logger,
  });
  const appSecret = [new Secret(process.env[ENV_APP_SECRET] ?? '')];
  const app = await buildApp({
    config: { appSecret }, keys: [], sessions, handlers: createHandlerRegistry(), logger,
    checkDatabase: () => Promise.resolve(),
    webhooks: { verifyToken: undefined, appSecrets: appSecret, intake },
  });
  await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
  process.send?.({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
  process.on('message', (m) => {
    if (m === 'count') {
      void (async () => {
        await intake.drain();
        const count = async (table: 'webhook_events' | 'submissions', processedOnly = false): Promise<number> => {
          let q = store.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n'));
          if (processedOnly) q = q.where('processed_at' as never, 'is not', null);
          return Number((await q.executeTakeFirstOrThrow()).n);
        };
        const counts: StoredCounts = { events: await count('webhook_events'), processed: await count('webhook_events', true), submissions: await count('submissions') };
        process.send?.(counts);
      })();
    }
    if (m === 'exit') void app.close().then(() => store.close()).then(() => process.exit(0));
  });
}

if (process.argv[2] === 'real') await real();
else await trivial();
