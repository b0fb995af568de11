/**
 * Composition root: the only place that builds concrete objects (logger,
 * keys, database, repositories, Graph client or sandbox, services, HTTP app)
 * and wires them together for `flowbridge serve`. Everything else receives
 * its dependencies.
 *
 * The spine, as wired here: project file → catalogue (FormModel → Flow JSON
 * + field map) → sends (FlowSender) → endpoint / nfm_reply webhook →
 * session completion with its submission and delivery jobs in one
 * transaction (outbox) → delivery worker → sinks.
 * @module
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from './config/config-schema.js';
import { emulatorCdnAllows } from './emulator/graph-emulator.js';
import { virtualPhoneNumbers, type Sandbox } from './emulator/sandbox.js';
import { isSandboxMode, startServeSandbox } from './emulator/serve-sandbox.js';
import { startAcceptLanes } from './server/accept-lanes.js';
import { buildApp } from './server/app.js';
import { balanceWorkerConnections } from './server/cluster.js';
import { createLogger } from './server/create-logger.js';
import { ENDPOINT_PATH } from './server/flow-endpoint-route.js';
import { broadcastsApi } from './server/routes/broadcasts-api.js';
import { deliveriesApiRoutes } from './server/routes/deliveries-api.js';
import { linksApiRoutes } from './server/routes/links-api.js';
import { sendsApi } from './server/routes/sends-api.js';
import { statsApi } from './server/routes/stats-api.js';
import { WEBHOOK_PATH } from './server/routes/whatsapp-webhook.js';
import { startPgBoss } from './queue/pgboss-queue.js';
import { createBroadcastRunner } from './services/broadcast/broadcast-runner.js';
import { createBroadcastService, templateStatusFrom } from './services/broadcast/broadcast-service.js';
import { createBroadcastWorker, type BroadcastWorker } from './services/broadcast/broadcast-worker.js';
import { loadCatalogue, publishCatalogue, registerCatalogueHandlers } from './services/catalogue-setup.js';
import { alertChannelsFromConfig } from './services/alerts/channels-from-config.js';
import { createAlertService } from './services/alerts/alert-service.js';
import { createFlowAlertPoller } from './services/alerts/flow-alert-poller.js';
import { createDeliveryQueries } from './services/delivery/delivery-queries.js';
import { createDeliveryPipeline, type DeliveryPipeline } from './services/delivery/pipeline.js';
import { createDeliveryReplay } from './services/delivery/replay.js';
import { logDeliveryEvent } from './services/delivery/log-event.js';
import { createDbErrorRecorder } from './services/client-error-recorder.js';
import { createPendingMediaDownloader } from './services/media-downloads.js';
import { createMediaIntake } from './services/media-intake.js';
import { createMediaStore } from './services/media-store.js';
import { sqlSink } from './sinks/sql/sql-sink.js';
import { createCompletionCheck } from './services/completion-check.js';
import { createConversationService, recordInboundHandler } from './services/conversations.js';
import { loadEndpointKeys, type EndpointKeys } from './services/endpoint-keys.js';
import { createEntryPoints } from './services/entry-points.js';
import type { FlowCatalogue } from './services/flow-catalogue.js';
import { createHandlerRegistry, type HandlerRegistry } from './services/flow-handlers.js';
import { createFlowSender } from './services/flow-sender-impl.js';
import type { FlowSender } from './services/flow-sender.js';
import { createSessionService, type SessionService } from './services/sessions.js';
import { createWebhookIntake, type WebhookIntake } from './services/webhook-intake.js';
import { createDatabase, type StoreDatabase } from './store/create-database.js';
import { migrateToLatest } from './store/migrate.js';
import { createAlertIncidentRepo } from './store/repos/alert-incident-repo.js';
import { createRecipientRepo } from './store/repos/broadcast-recipient-repo.js';
import { createBroadcastRepo } from './store/repos/broadcast-repo.js';
import { createClientErrorRepo } from './store/repos/client-error-repo.js';
import { createConversationRepo } from './store/repos/conversation-repo.js';
import { createFlowAlertFeed } from './store/repos/flow-alert-feed.js';
import { createEntryPointRepo } from './store/repos/entry-point-repo.js';
import { createFlowAlertRepo } from './store/repos/flow-alert-repo.js';
import { createFlowMediaRepo } from './store/repos/flow-media-repo.js';
import { createFlowStatsRepo } from './store/repos/flow-stats-repo.js';
import { createMessageStatusRepo } from './store/repos/message-status-repo.js';
import { createPublishedFlowRepo } from './store/repos/published-flow-repo.js';
import { createSendRepo } from './store/repos/send-repo.js';
import { createSessionRepo } from './store/repos/session-repo.js';
import { createWebhookEventRepo } from './store/repos/webhook-event-repo.js';
import { createGraphClient, type GraphClient } from './whatsapp/graph/index.js';
import { closeSharedHttpSender } from './sinks/http/undici-sender.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Flow handlers (a developer's own code); compiled forms of the catalogue get the generic handler unless a flow id is taken here. */
  readonly handlers?: HandlerRegistry;
  /** The flows; default: loaded from the project file (`FLOWBRIDGE_PROJECT_FILE`, else `./flowbridge.yaml`, else the sandbox demo). */
  readonly catalogue?: FlowCatalogue;
  /** Default: JSON lines on stdout at `config.logLevel`. */
  readonly logger?: Logger;
  /** Stop gracefully on SIGTERM / SIGINT (default true; tests pass false and call `close`). */
  readonly handleSignals?: boolean;
  /** Start the built-in Meta emulator and virtual phones when no access token is set (`serve` sets it; tests opt in). */
  readonly sandbox?: boolean;
  /** How often stored webhook events left unprocessed are retried (default 30 s). */
  readonly pendingIntervalMs?: number;
}

/** A started server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  readonly keys: EndpointKeys;
  readonly sessions: SessionService;
  readonly handlers: HandlerRegistry;
  readonly catalogue: FlowCatalogue;
  readonly intake: WebhookIntake;
  /** Present when a Graph API (Meta's or the sandbox's) is configured. */
  readonly sender: FlowSender | undefined;
  readonly sandbox: Sandbox | undefined;
  /** The delivery pipeline (repo, queue, worker). */
  readonly delivery: DeliveryPipeline;
  /** Stop accepting, finish in-flight requests and background work, close the database; idempotent. */
  close(): Promise<void>;
  /** Settles once the server has been closed (by `close` or a signal). */
  readonly closed: Promise<void>;
}

/** A second signal, or a shutdown taking longer than this, exits at once. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Connections the kernel may hold completed but not yet accepted. Node's
 * default (511) overflows in a burst of a thousand new connections while the
 * event loop decrypts: Linux then drops the client's handshake ACK, the
 * client believes it is connected and sends its request, and the server only
 * sees it after a SYN-ACK retransmission 1 or 3 s later (measured with
 * bench:endpoint at concurrency 1024: 503s answered 1.2-3.9 s after connect).
 * The kernel caps it at net.core.somaxconn (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;

/** The demo project served in sandbox mode when no project file exists. */
export const SANDBOX_PROJECT = fileURLToPath(new URL('../examples/sandbox/flowbridge.yaml', import.meta.url));

/** Start everything `flowbridge serve` runs. Fails fast (nothing left open) when a key, the project or the database is unusable. */
export async function startServer(loaded: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: loaded.logLevel });
  const keys = await loadEndpointKeys({ dataDir: loaded.dataDir, passphrase: loaded.keyPassphrase?.reveal(), previousKeyGraceHours: loaded.keyGraceHours, logger });
  let config = loaded;
  let sandbox: Sandbox | undefined;
  let wabaId = config.wabaId;
  const cleanups: Array<() => Promise<void> | void> = [];
  async function cleanup(): Promise<void> {
    for (const step of cleanups.splice(0).reverse()) await step();
  }
  const store: StoreDatabase = createDatabase(config.databaseUrl.reveal(), {
    onPoolError: (err) => logger.warn({ err: err.message }, 'database pool connection error'),
  });
  cleanups.push(() => store.close());
  // Runs after every worker has stopped (cleanups run in reverse): the sinks' keep-alive connections.
  cleanups.push(() => closeSharedHttpSender());
  let app: FastifyInstance;
  let catalogue: FlowCatalogue;
  let sessions: SessionService;
  let handlers: HandlerRegistry;
  let intake: WebhookIntake;
  let sender: FlowSender | undefined;
  let graph: GraphClient | undefined;
  let delivery: DeliveryPipeline;
  let broadcasts: BroadcastWorker | undefined;
  try {
    if (options.sandbox === true && isSandboxMode(config)) {
      const started = await startServeSandbox({ config, businessPublicKeyPem: keys.publicKeyPem, log: (line) => logger.info({}, line) });
      sandbox = started.sandbox;
      cleanups.push(() => started.sandbox.close());
      config = { ...config, graphApiBaseUrl: started.config.graphApiBaseUrl, accessToken: started.config.accessToken, phoneNumberId: started.config.phoneNumberId, appSecret: started.config.appSecret };
      wabaId = started.config.wabaId;
      logger.warn({ graphApiBaseUrl: sandbox.url }, 'no FLOWBRIDGE_ACCESS_TOKEN: sandbox mode (built-in Meta emulator and virtual phones; nothing reaches WhatsApp)');
    }
    const { applied } = await migrateToLatest(store);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    catalogue = options.catalogue ?? await loadCatalogue({ projectFile: config.projectFile, fallback: sandbox === undefined ? undefined : SANDBOX_PROJECT, log: logger });

    // Delivery: completion + submission + one job per sink in one transaction (outbox), then the worker.
    let boss: PgBoss | undefined;
    if (store.dialect === 'postgres') {
      boss = await startPgBoss(config.databaseUrl.reveal(), { schema: config.pgbossSchema, onError: (err) => logger.warn({ err: err.message }, 'pg-boss error') });
      const started = boss;
      cleanups.push(() => started.stop({ graceful: true, wait: true }));
    }
    sqlSink.useDatabaseOpener((url) => createDatabase(url));
    const mediaStore = createMediaStore(join(config.dataDir, 'media'));
    const mediaRepo = createFlowMediaRepo(store.db);
    cleanups.push(() => sqlSink.close());
    // Alerts: failed and dead deliveries, Meta's flows health events; one alert and one recovery per incident.
    const alertChannels = alertChannelsFromConfig(config);
    cleanups.push(() => alertChannels.close());
    const alerts = createAlertService({ repo: createAlertIncidentRepo(store.db), channels: alertChannels.channels, log: logger });
    cleanups.push(() => alerts.drain());
    if (alertChannels.channels.length === 0) logger.warn({}, 'no alert channel configured (FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL, FLOWBRIDGE_ALERT_WEBHOOK_URL, FLOWBRIDGE_ALERT_SMTP_URL): failed deliveries are only logged');
    delivery = createDeliveryPipeline({
      store, catalogue, config,
      ...(boss === undefined ? {} : { boss }),
      mediaRepo, mediaStore,
      onQueueError: (err) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'delivery queue error'),
      onEvent: (event) => {
        logDeliveryEvent(logger, event);
        return alerts.onDeliveryEvent(event);
      },
    });
    const sessionRepo = createSessionRepo(store.db);
    sessions = createSessionService(sessionRepo, { onCompleted: delivery.onCompleted });
    const flushScreens = sessions;
    cleanups.push(async () => { await flushScreens.flush?.(); });
    handlers = options.handlers ?? createHandlerRegistry();
    // Picker files in data_exchange: downloaded from the CDN, verified, decrypted, stored privately (spec §3).
    const cdnAllowed = sandbox === undefined ? undefined : emulatorCdnAllows(sandbox.url);
    registerCatalogueHandlers(handlers, catalogue, {
      intake: createMediaIntake({ store: mediaStore, ...(cdnAllowed === undefined ? {} : { allowUrl: cdnAllowed }) }),
      repo: mediaRepo,
    });

    const conversations = createConversationService(createConversationRepo(store.db));
    const sends = createSendRepo(store.db);
    const statuses = createMessageStatusRepo(store.db);
    const accessToken = config.accessToken;
    if (accessToken !== undefined && config.phoneNumberId !== undefined) {
      graph = createGraphClient({
        baseUrl: config.graphApiBaseUrl, version: config.graphApiVersion, accessToken: accessToken.reveal(),
        phoneNumberId: config.phoneNumberId, ...(wabaId === undefined ? {} : { wabaId }),
      });
      sender = createFlowSender({ catalogue, sessions, conversations, sends, publishedFlows: createPublishedFlowRepo(store.db), graph });
    } else {
      logger.warn({}, 'FLOWBRIDGE_ACCESS_TOKEN or FLOWBRIDGE_PHONE_NUMBER_ID is not set: flows cannot be sent (keywords, ads and /api/sends are off)');
    }
    if (graph !== undefined) {
      // Media ids of completions (nfm_reply) are fetched through the Graph API in the background.
      const downloader = createPendingMediaDownloader({ store: mediaStore, graph, repo: mediaRepo, log: logger });
      const mediaTimer = setInterval(() => {
        downloader.downloadPendingMedia().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'downloading completion media failed'));
      }, options.pendingIntervalMs ?? 30_000);
      mediaTimer.unref();
      cleanups.push(() => clearInterval(mediaTimer));
    }
    const entryPoints = sender === undefined ? undefined : createEntryPoints({ catalogue, sender, store: createEntryPointRepo(store.db), log: logger });
    intake = createWebhookIntake({
      events: createWebhookEventRepo(store.db), sessions, statuses,
      alerts: createFlowAlertRepo(store.db), media: mediaRepo, log: logger,
      checkCompletion: createCompletionCheck({ catalogue, sessions: sessionRepo }),
      onInbound: [
        recordInboundHandler(conversations),
        ...(entryPoints === undefined ? [] : [(message: Parameters<typeof entryPoints.handleInbound>[0]) => entryPoints.handleInbound(message)]),
      ],
    });
    cleanups.push(() => intake.drain());

    const apiRoutes: FastifyPluginAsync[] = [
      statsApi(createFlowStatsRepo(store.db)),
      linksApiRoutes({ catalogue, businessPhone: config.businessPhone ?? sandbox?.displayPhoneNumber }),
    ];
    if (sender !== undefined) {
      apiRoutes.push(sendsApi({ sender, sends, statuses }));
      // Broadcasts: one runner per process at the configured rate, resumed after a restart.
      const broadcastRepo = createBroadcastRepo(store.db);
      const recipients = createRecipientRepo(store.db);
      const runner = createBroadcastRunner({
        broadcasts: broadcastRepo, recipients, sender,
        onError: (err, r) => logger.warn({ err: err instanceof Error ? err.message : String(err), line: r.line }, 'broadcast send threw; re-sent later with the same key'),
      });
      const broadcastWorker = createBroadcastWorker({
        broadcasts: broadcastRepo, runner,
        onError: (err) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'broadcast run failed'),
        onRunEnd: (id, end) => logger.info({ broadcast: id, end }, 'broadcast run ended'),
      });
      broadcasts = broadcastWorker;
      const broadcastService = createBroadcastService({
        db: store.db, broadcasts: broadcastRepo, recipients, catalogue, defaultRate: config.broadcastRate,
        onRunning: () => broadcastWorker.wake(),
        ...(graph !== undefined && wabaId !== undefined ? { templateStatus: templateStatusFrom(graph) } : {}),
      });
      apiRoutes.push(broadcastsApi({ service: broadcastService }));
    }
    const { repo: deliveryRepo, queue } = delivery;
    apiRoutes.push(deliveriesApiRoutes({
      queries: createDeliveryQueries(deliveryRepo),
      replay: createDeliveryReplay({ db: store.db, repo: deliveryRepo, enqueue: (trx, jobs) => queue.enqueue(trx, jobs), notify: () => queue.notify() }),
    }));
    app = await buildApp({
      config, keys: keys.privateKeys, sessions, handlers, logger,
      checkDatabase: async () => { await sql`select 1`.execute(store.db); },
      webhooks: { verifyToken: config.verifyToken, appSecrets: config.appSecret ?? [], intake },
      clientErrors: createDbErrorRecorder(createClientErrorRepo(store.db), logger),
      api: { apiKey: config.apiKey, routes: apiRoutes },
    });
    cleanups.push(() => app.close());
    await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
    // In the background: serving starts now; the lanes join within tens of milliseconds.
    const lanes = startAcceptLanes(app.server, {
      lanes: config.acceptLanes, backlog: LISTEN_BACKLOG,
      onUnavailable: (err) => logger.warn({ err: err.message }, 'accept lanes not added: one new connection accepted per event-loop turn'),
      onAcceptError: (err, count) => logger.error({ err: err.message, count }, 'accepting connections failed'),
    });
    cleanups.push(() => lanes.close());
    const balancing = balanceWorkerConnections(app.server);
    cleanups.push(() => { balancing.stop(); });
    await delivery.worker.start();
    const worker = delivery.worker;
    cleanups.push(() => worker.stop());
    const broadcastWorker = broadcasts;
    if (broadcastWorker !== undefined) {
      broadcastWorker.start();
      cleanups.push(() => broadcastWorker.stop());
    }
    const poller = createFlowAlertPoller({ feed: createFlowAlertFeed(store.db), alerts, log: logger });
    poller.start();
    cleanups.push(() => poller.stop());
  } catch (err) {
    await cleanup();
    throw err;
  }
  const address = app.server.address();
  const url = typeof address === 'object' && address !== null
    ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
    : `http://${config.host}:${config.port}`;
  const publicBase = config.publicUrl?.replace(/\/+$/, '') ?? url;
  logger.info(
    { url, endpoint: `${publicBase}${ENDPOINT_PATH}`, webhooks: `${publicBase}${WEBHOOK_PATH}`, flows: catalogue.list().map((f) => f.id), dialect: store.dialect },
    'flowbridge server listening',
  );

  // Events stored but not processed (a crash, a failed action) are retried on start and periodically.
  const retryPending = (): void => {
    intake.processPending().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'retrying stored webhook events failed'));
  };
  retryPending();
  const pendingTimer = setInterval(retryPending, options.pendingIntervalMs ?? 30_000);
  pendingTimer.unref();
  cleanups.push(() => clearInterval(pendingTimer));

  if (sandbox !== undefined && graph !== undefined) {
    // The phones run in this process: reach the server on loopback even when it binds every interface.
    const local = url.replace(/^http:\/\/(?:0\.0\.0\.0|\[::\])(?=:)/, 'http://127.0.0.1');
    sandbox.phones.setWebhookUrl(`${local}${WEBHOOK_PATH}`);
    // In the background: the server answers (and handles signals) while the demo flows are published.
    const demo = catalogue.list().find((f) => f.entry.keyword !== undefined);
    const phones = sandbox.phones;
    const publishing = publishCatalogue({
      catalogue, graph, records: createPublishedFlowRepo(store.db), wabaId: wabaId ?? sandbox.wabaId, endpointUri: `${local}${ENDPOINT_PATH}`, log: logger,
    })
      .then(async () => {
        // The demo: a virtual phone writes the first flow's keyword; the whole loop follows in the log.
        if (demo?.entry.keyword === undefined) return;
        const phone = virtualPhoneNumbers(1)[0] ?? '15551000001';
        logger.info({ phone, keyword: demo.entry.keyword, flow: demo.id }, 'sandbox demo: a virtual phone writes the keyword');
        await phones.sendText(phone, demo.entry.keyword);
      })
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sandbox: publishing the flows to the emulator failed'));
    // On shutdown the phones stop first (after the demo's publishing), while the server still answers their last webhooks.
    const running = sandbox;
    cleanups.push(() => running.close());
    cleanups.push(() => publishing);
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });
  let closing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing !== undefined) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    close().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed'));
  };
  function close(): Promise<void> {
    closing ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      try {
        await cleanup();
      } finally {
        logger.info({}, 'server stopped');
        logger.flush();
        resolveClosed();
      }
    })();
    return closing;
  }
  if (options.handleSignals ?? true) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { app, url, keys, sessions, handlers, catalogue, intake, sender, sandbox, delivery, close, closed };
}
