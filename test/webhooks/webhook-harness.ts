/**
 * A real webhook stack for tests: an isolated migrated database (SQLite or
 * PostgreSQL), the store's repositories, the session service, the intake
 * and a Fastify instance with only the webhook routes, its log lines
 * captured. Repositories can be wrapped to inject failures.
 */
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { Secret } from '../../src/config/secret.js';
import { whatsappWebhookRoutes } from '../../src/server/routes/whatsapp-webhook.js';
import type { LogSink } from '../../src/services/client-error-recorder.js';
import { createSessionService, type SessionService } from '../../src/services/sessions.js';
import { createWebhookIntake, type WebhookIntake, type WebhookIntakeDeps } from '../../src/services/webhook-intake.js';
import type { StoreDialect } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createFlowAlertRepo, type FlowAlertRepo } from '../../src/store/repos/flow-alert-repo.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../../src/store/repos/flow-media-repo.js';
import { createMessageStatusRepo, type MessageStatusRepo } from '../../src/store/repos/message-status-repo.js';
import { createSessionRepo, type SessionRepo } from '../../src/store/repos/session-repo.js';
import { createWebhookEventRepo, type WebhookEventRepo } from '../../src/store/repos/webhook-event-repo.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';

export const VERIFY_TOKEN = 'verify-token-4f1c9e';
export const OLD_SECRET = 'app-secret-old-0001';
export const NEW_SECRET = 'app-secret-new-0002';

/** A log sink that keeps every line. */
export function memoryLog(): LogSink & { lines: { level: string; msg: string; obj: object }[] } {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => {
    lines.push({ level, msg, obj });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Overrides of the harness. */
export interface HarnessOptions {
  readonly verifyToken?: string | undefined;
  readonly appSecrets?: readonly string[];
  /** Replace or wrap dependencies of the intake (failure injection). */
  readonly wrap?: (deps: WebhookIntakeDeps) => WebhookIntakeDeps;
  /** Use this database instead of opening one (another "instance" on shared data). */
  readonly database?: TestDatabase;
  readonly reopen?: boolean;
}

/** An open harness. */
export interface Harness {
  readonly db: TestDatabase;
  readonly app: FastifyInstance;
  readonly intake: WebhookIntake;
  readonly sessionRepo: SessionRepo;
  readonly sessions: SessionService;
  readonly events: WebhookEventRepo;
  readonly statuses: MessageStatusRepo;
  readonly alerts: FlowAlertRepo;
  readonly media: FlowMediaRepo;
  readonly intakeLog: ReturnType<typeof memoryLog>;
  /** JSON lines written by Fastify's logger (the route's own lines). */
  readonly httpLog: string[];
  /** POST a body signed with `secret` (default the new one); `signature: null` sends none. */
  post(body: string | Buffer, options?: { secret?: string; signature?: string | null; contentType?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Open a harness on a fresh database of `dialect`. */
export async function openHarness(dialect: StoreDialect, options: HarnessOptions = {}): Promise<Harness> {
  const owned = options.database === undefined;
  const db = options.database ?? (await openTestDatabase(dialect));
  const store = options.reopen === true ? db.reopen() : db.store;
  if (owned) await migrateToLatest(store);
  const sessionRepo = createSessionRepo(store.db);
  const sessions = createSessionService(sessionRepo);
  const events = createWebhookEventRepo(store.db);
  const statuses = createMessageStatusRepo(store.db);
  const alerts = createFlowAlertRepo(store.db);
  const media = createFlowMediaRepo(store.db);
  const intakeLog = memoryLog();
  const base: WebhookIntakeDeps = { events, sessions, statuses, alerts, media, log: intakeLog };
  const intake = createWebhookIntake(options.wrap === undefined ? base : options.wrap(base));

  const httpLog: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      httpLog.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink) }) as unknown as FastifyInstance;
  const verifyToken = 'verifyToken' in options ? options.verifyToken : VERIFY_TOKEN;
  await app.register(whatsappWebhookRoutes, {
    verifyToken: verifyToken === undefined ? undefined : new Secret(verifyToken),
    appSecrets: (options.appSecrets ?? [OLD_SECRET, NEW_SECRET]).map((s) => new Secret(s)),
    intake,
  });
  await app.ready();

  return {
    db, app, intake, sessionRepo, sessions, events, statuses, alerts, media, intakeLog, httpLog,
    post(body, postOptions = {}) {
      const signature = postOptions.signature === undefined ? signBody(body, postOptions.secret ?? NEW_SECRET) : postOptions.signature;
      return app.inject({
        method: 'POST',
        url: '/webhooks/whatsapp',
        payload: body,
        headers: { 'content-type': postOptions.contentType ?? 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
      });
    },
    async close() {
      await intake.drain();
      await app.close();
      if (owned) await db.cleanup();
    },
  };
}
