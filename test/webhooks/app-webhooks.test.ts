import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Secret } from '../../src/config/secret.js';
import { buildApp } from '../../src/server/app.js';
import { createHandlerRegistry } from '../../src/services/flow-handlers.js';
import { createSessionService } from '../../src/services/sessions.js';
import { createWebhookIntake } from '../../src/services/webhook-intake.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createFlowAlertRepo } from '../../src/store/repos/flow-alert-repo.js';
import { createFlowMediaRepo } from '../../src/store/repos/flow-media-repo.js';
import { createMessageStatusRepo } from '../../src/store/repos/message-status-repo.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { createWebhookEventRepo } from '../../src/store/repos/webhook-event-repo.js';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { messagesBody, nfmReply, USER_WA_ID } from './payloads.js';

const APP_SECRET = 'app-secret-for-the-app-test-5d2e';
const VERIFY = 'verify-token-for-the-app-test-9a1b';

let db: TestDatabase | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await db?.cleanup();
  app = undefined;
  db = undefined;
});

async function build(withWebhooks: boolean) {
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.store);
  const chunks: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk: Buffer, _e, done) { chunks.push(chunk.toString('utf8')); done(); } }));
  const sessionRepo = createSessionRepo(db.store.db);
  const sessions = createSessionService(sessionRepo);
  const intake = createWebhookIntake({
    events: createWebhookEventRepo(db.store.db),
    sessions,
    statuses: createMessageStatusRepo(db.store.db),
    alerts: createFlowAlertRepo(db.store.db),
    media: createFlowMediaRepo(db.store.db),
    log: logger,
  });
  const appSecret = [new Secret(APP_SECRET)];
  app = await buildApp({
    config: { appSecret },
    keys: [],
    sessions,
    handlers: createHandlerRegistry(),
    logger,
    checkDatabase: () => Promise.resolve(),
    ...(withWebhooks ? { webhooks: { verifyToken: new Secret(VERIFY), appSecrets: appSecret, intake } } : {}),
  });
  return { app, sessions, sessionRepo, intake, log: () => chunks.join('') };
}

describe('webhooks inside buildApp', () => {
  it('serves the handshake and completes a session from a signed nfm_reply, logging no secret', async () => {
    const t = await build(true);
    const hello = await t.app.inject({ method: 'GET', url: `/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=424242&hub.verify_token=${VERIFY}` });
    expect(hello.statusCode).toBe(200);
    expect(hello.body).toBe('424242');

    const session = await t.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    const body = messagesBody(nfmReply('wamid.APP1', { flow_token: session.flowToken, ok: true }));
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/whatsapp', payload: body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, APP_SECRET) } });
    expect(res.statusCode).toBe(200);
    await t.intake.drain();
    expect((await t.sessionRepo.getSubmission(session.flowToken))?.responseJson).toBe(JSON.stringify({ flow_token: session.flowToken, ok: true }));

    const log = t.log();
    expect(log).toContain('webhook event processed');
    for (const secret of [APP_SECRET, VERIFY, session.flowToken]) expect(log).not.toContain(secret);
  });

  it('has no webhook routes when none are configured', async () => {
    const t = await build(false);
    expect((await t.app.inject({ method: 'GET', url: '/webhooks/whatsapp' })).statusCode).toBe(404);
  });
});
