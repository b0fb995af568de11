/**
 * The server of the end-to-end tests: what `startServer` (src/main.ts)
 * builds — keys generated in the data dir, SQLite in the data dir, migrated,
 * sessions, the app on 127.0.0.1:0 — plus the Cloud API webhook route and
 * intake over the same database handle, which `startServer` does not wire
 * yet. When main.ts wires webhooks, replace this with `startServer`.
 * @module
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Secret } from '../../src/config/secret.js';
import { buildApp } from '../../src/server/app.js';
import { WEBHOOK_PATH } from '../../src/server/routes/whatsapp-webhook.js';
import { loadEndpointKeys, type EndpointKeys } from '../../src/services/endpoint-keys.js';
import type { HandlerRegistry } from '../../src/services/flow-handlers.js';
import { createSessionService, type SessionService } from '../../src/services/sessions.js';
import { createWebhookIntake, type WebhookIntake } from '../../src/services/webhook-intake.js';
import { createDatabase, type StoreDatabase } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createFlowAlertRepo } from '../../src/store/repos/flow-alert-repo.js';
import { createFlowMediaRepo } from '../../src/store/repos/flow-media-repo.js';
import { createMessageStatusRepo } from '../../src/store/repos/message-status-repo.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { createWebhookEventRepo } from '../../src/store/repos/webhook-event-repo.js';
import { startLoopbackServer } from '../fakes/shared/loopback-server.js';

/** A running end-to-end server. */
export interface E2eServer {
  readonly url: string;
  /** `<url>/webhooks/whatsapp`. */
  readonly webhookUrl: string;
  readonly endpointUrl: string;
  readonly keys: EndpointKeys;
  readonly sessions: SessionService;
  readonly store: StoreDatabase;
  readonly intake: WebhookIntake;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Start the server over a SQLite file in `dataDir`, verifying signatures with `appSecret`. */
export async function startE2eServer(options: { dataDir: string; appSecret: string; verifyToken?: string; handlers: HandlerRegistry }): Promise<E2eServer> {
  const logger = pino({ level: 'silent' });
  const keys = await loadEndpointKeys({ dataDir: options.dataDir, passphrase: undefined, logger });
  const store = createDatabase(`sqlite:${join(options.dataDir, 'flowbridge.db')}`);
  await migrateToLatest(store);
  const sessions = createSessionService(createSessionRepo(store.db));
  const intake = createWebhookIntake({
    events: createWebhookEventRepo(store.db),
    sessions,
    statuses: createMessageStatusRepo(store.db),
    alerts: createFlowAlertRepo(store.db),
    media: createFlowMediaRepo(store.db),
  });
  const secrets = [new Secret(options.appSecret)];
  const app = await buildApp({
    config: { appSecret: secrets },
    keys: keys.privateKeys,
    sessions,
    handlers: options.handlers,
    logger,
    checkDatabase: async () => { await sql`select 1`.execute(store.db); },
    webhooks: { verifyToken: options.verifyToken === undefined ? undefined : new Secret(options.verifyToken), appSecrets: secrets, intake },
    // Phones, emulator and server share one event loop here; lag says nothing about the server.
    loadShedding: { maxEventLoopLagMs: 0 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url, webhookUrl: `${url}${WEBHOOK_PATH}`, endpointUrl: `${url}/flows/endpoint`, keys, sessions, store, intake, app,
    async close() {
      await app.close();
      await intake.drain();
      await store.close();
    },
  };
}

/** A proxy in front of the webhook route that makes Meta retry: some first deliveries fail. */
export interface FlakyProxy {
  readonly url: string;
  /** First deliveries answered 500 without reaching the server. */
  readonly refused: number;
  /** First deliveries that reached the server (stored) but were answered 500 as if the answer was lost. */
  readonly lost: number;
  close(): Promise<void>;
}

/** Forward to `target`; every `every`-th distinct body fails its first delivery, alternately refused and lost. */
export async function startFlakyProxy(target: string, every: number): Promise<FlakyProxy> {
  const seen = new Set<string>();
  let distinct = 0;
  let refused = 0;
  let lost = 0;
  const proxy = await startLoopbackServer({
    handle: async (req) => {
      const key = createHash('sha256').update(req.raw).digest('hex');
      const first = !seen.has(key);
      seen.add(key);
      const fail = first && ++distinct % every === 0 ? ((distinct / every) % 2 === 0 ? 'lost' : 'refuse') : undefined;
      if (fail === 'refuse') {
        refused++;
        return { status: 500 };
      }
      const headers = { 'content-type': String(req.headers['content-type']), 'x-hub-signature-256': String(req.headers['x-hub-signature-256']) };
      const answer = await fetch(target, { method: 'POST', body: req.raw, headers });
      await answer.arrayBuffer();
      if (fail === 'lost') {
        lost++;
        return { status: 500 };
      }
      return { status: answer.status };
    },
  });
  return {
    url: `${proxy.url}/webhooks/whatsapp`,
    get refused() { return refused; },
    get lost() { return lost; },
    close: () => proxy.close(),
  };
}
