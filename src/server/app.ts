/**
 * The HTTP application: Fastify with every dependency injected, so tests
 * drive it through `inject()` and `src/main.ts` is the only place that builds
 * concrete objects. Routes: `GET /healthz`, `GET /readyz`,
 * `POST /flows/endpoint` (spec §2). Errors never carry a stack trace or
 * request data to the client: unexpected failures are an empty 500.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.js';
import { createLoggingErrorRecorder, type ClientErrorRecorder } from '../services/client-error-recorder.js';
import { createFlowEndpoint, type TokenMessages } from '../services/flow-endpoint.js';
import type { HandlerRegistry } from '../services/flow-handlers.js';
import type { SessionService } from '../services/sessions.js';
import { registerApiRoutes, type ApiRoutesOptions } from './api-auth.js';
import { flowEndpointRoute } from './flow-endpoint-route.js';
import { healthRoutes } from './health-routes.js';
import { registerLoadShedding, type LoadSheddingOptions } from './load-shedding.js';
import { whatsappWebhookRoutes, type WhatsappWebhookOptions } from './routes/whatsapp-webhook.js';

/** What the application is built from. */
export interface AppDeps {
  /** Only the app secrets are read: none configured means sandbox mode (requests not signature-checked). */
  readonly config: Pick<Config, 'appSecret'>;
  /** Parsed private keys, current first (see `loadEndpointKeys`). */
  readonly keys: readonly KeyObject[];
  readonly sessions: SessionService;
  readonly handlers: HandlerRegistry;
  readonly logger: Logger;
  /** Resolves when the database answers a trivial query; used by `/readyz`. */
  readonly checkDatabase: () => Promise<void>;
  /** Where client error notifications go; default one warn log line each. */
  readonly clientErrors?: ClientErrorRecorder;
  readonly tokenMessages?: TokenMessages;
  /** Endpoint body cap in bytes (default `ENDPOINT_BODY_LIMIT`). */
  readonly bodyLimit?: number;
  /** `GET/POST /webhooks/whatsapp` (spec §6): registered when given. */
  readonly webhooks?: WhatsappWebhookOptions;
  /** Endpoint load shedding (503 at once when overloaded); default limits of `registerLoadShedding`. */
  readonly loadShedding?: LoadSheddingOptions;
  /** `/api/*` route plugins (sends, deliveries, broadcasts, links), mounted behind the API key check. */
  readonly api?: ApiRoutesOptions;
  /** Other route plugins (e.g. public QR code pages), registered as given. */
  readonly routes?: ReadonlyArray<FastifyPluginAsync>;
}

/** `/readyz` gives the database this long to answer. */
export const READINESS_DB_TIMEOUT_MS = 2000;

/** Slower requests are cut: WhatsApp gives up after 10 s anyway (spec §2.8). */
export const REQUEST_TIMEOUT_MS = 15_000;

function withTimeout(check: () => Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    check().then(
      () => { clearTimeout(timer); resolve(); },
      (err: unknown) => { clearTimeout(timer); reject(err instanceof Error ? err : new Error(String(err))); },
    );
  });
}

/**
 * Routes validate their input with zod, never with Fastify's JSON schemas;
 * without this Fastify loads and sets up Ajv and fast-json-stringify at
 * construction (about a tenth of a second of start-up). A route that adds a
 * schema fails at start with this message instead of being half-checked.
 */
const NO_ROUTE_SCHEMAS = {
  buildValidator: (): never => { throw new Error('Flowbridge routes validate with zod: Fastify route schemas are not set up'); },
  buildSerializer: (): never => { throw new Error('Flowbridge routes validate with zod: Fastify response schemas are not set up'); },
};

/** Build (but do not start) the application. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per endpoint request is written by the route itself (outcome, status, time); nothing else per request.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: REQUEST_TIMEOUT_MS,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    schemaController: { compilersFactory: NO_ROUTE_SCHEMAS },
  }) as unknown as FastifyInstance;
  const appSecrets = (deps.config.appSecret ?? []).map((secret) => secret.reveal());
  const endpoint = createFlowEndpoint({
    keys: deps.keys,
    appSecrets,
    sessions: deps.sessions,
    handlers: deps.handlers,
    clientErrors: deps.clientErrors ?? createLoggingErrorRecorder(deps.logger),
    logger: deps.logger,
    ...(deps.tokenMessages === undefined ? {} : { tokenMessages: deps.tokenMessages }),
  });

  // Graceful shutdown: answers given while closing end their keep-alive connection, so
  // close() finishes with the in-flight requests instead of waiting for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', (done) => { closing = true; done(); });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const fields = { status, code: err.code, url: request.url, method: request.method };
    if (status >= 500) request.log.error({ ...fields, err: { name: err.name, message: err.message } }, 'request failed');
    else request.log.warn(fields, 'request refused');
    return reply.code(status).header('cache-control', 'no-store').send();
  });

  async function readiness(): Promise<string[]> {
    const reasons: string[] = [];
    if (deps.keys.length === 0) reasons.push('no private key loaded');
    try {
      await withTimeout(deps.checkDatabase, READINESS_DB_TIMEOUT_MS);
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'readiness: database check failed');
      reasons.push('database unreachable');
    }
    return reasons;
  }

  // The endpoint's RSA worker thread (if any) stops with the app.
  app.addHook('onClose', async () => { await endpoint.close?.(); });
  registerLoadShedding(app, deps.loadShedding);
  await app.register(healthRoutes, { readiness });
  await app.register(flowEndpointRoute, { endpoint, ...(deps.bodyLimit === undefined ? {} : { bodyLimit: deps.bodyLimit }) });
  if (deps.webhooks !== undefined) await app.register(whatsappWebhookRoutes, deps.webhooks);
  if (deps.api !== undefined) await registerApiRoutes(app, deps.api);
  for (const routes of deps.routes ?? []) await app.register(routes);
  if (appSecrets.length === 0) {
    deps.logger.warn({}, 'FLOWBRIDGE_APP_SECRET is not set: sandbox mode, endpoint requests are NOT signature-checked (X-Hub-Signature-256, flow_token_signature). Set it before going live.');
  }
  return app;
}
