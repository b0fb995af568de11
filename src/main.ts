/**
 * Composition root: the only place that builds concrete objects (logger,
 * keys, database, services, HTTP app) and wires them together for
 * `flowbridge serve`. Everything else receives its dependencies.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config/config-schema.js';
import { buildApp } from './server/app.js';
import { createLogger } from './server/create-logger.js';
import { ENDPOINT_PATH } from './server/flow-endpoint-route.js';
import { loadEndpointKeys, type EndpointKeys } from './services/endpoint-keys.js';
import { createHandlerRegistry, type HandlerRegistry } from './services/flow-handlers.js';
import { createSessionService, type SessionService } from './services/sessions.js';
import { createDatabase, type StoreDatabase } from './store/create-database.js';
import { migrateToLatest } from './store/migrate.js';
import { createSessionRepo } from './store/repos/session-repo.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** Flow handlers (a developer's own code, later the compiled-form handler); default none. */
  readonly handlers?: HandlerRegistry;
  /** Default: JSON lines on stdout at `config.logLevel`. */
  readonly logger?: Logger;
  /** Stop gracefully on SIGTERM / SIGINT (default true; tests pass false and call `close`). */
  readonly handleSignals?: boolean;
}

/** A started server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  readonly keys: EndpointKeys;
  readonly sessions: SessionService;
  readonly handlers: HandlerRegistry;
  /** Stop accepting, finish in-flight requests, close the database; idempotent. */
  close(): Promise<void>;
  /** Settles once the server has been closed (by `close` or a signal). */
  readonly closed: Promise<void>;
}

/** A second signal, or a shutdown taking longer than this, exits at once. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Start everything `flowbridge serve` runs. Fails fast (nothing left open) when a key or the database is unusable. */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const keys = await loadEndpointKeys({ dataDir: config.dataDir, passphrase: config.keyPassphrase?.reveal(), previousKeyGraceHours: config.keyGraceHours, logger });
  const store: StoreDatabase = createDatabase(config.databaseUrl.reveal(), {
    onPoolError: (err) => logger.warn({ err: err.message }, 'database pool connection error'),
  });
  let app: FastifyInstance;
  const sessions = createSessionService(createSessionRepo(store.db));
  const handlers = options.handlers ?? createHandlerRegistry();
  try {
    const { applied } = await migrateToLatest(store);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    app = await buildApp({
      config, keys: keys.privateKeys, sessions, handlers, logger,
      checkDatabase: async () => { await sql`select 1`.execute(store.db); },
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await store.close();
    throw err;
  }
  const address = app.server.address();
  const url = typeof address === 'object' && address !== null
    ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
    : `http://${config.host}:${config.port}`;
  logger.info(
    { url, endpoint: `${config.publicUrl?.replace(/\/+$/, '') ?? url}${ENDPOINT_PATH}`, flows: handlers.flowIds(), dialect: store.dialect },
    'flowbridge server listening',
  );

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
        await app.close();
      } finally {
        await store.close();
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
  return { app, url, keys, sessions, handlers, close, closed };
}
