/**
 * `GET/POST /webhooks/whatsapp`: the Cloud API webhook callback (spec §6.1;
 * Meta, "Create a webhook endpoint" and "Webhooks").
 *
 * - GET answers the verification handshake: 200 with `hub.challenge` as
 *   text/plain when `hub.verify_token` matches (constant time), else 403.
 * - POST keeps the raw bytes, checks `X-Hub-Signature-256` against every
 *   configured app secret (spec §2.7) and answers 401 when it is missing or
 *   matches none (Meta defines no status; any non-200 makes Meta retry for up
 *   to 7 days, so a secret being rotated loses nothing). A body that is not
 *   UTF-8 JSON is 400. Otherwise every event is stored durably, then 200;
 *   processing runs after. A storage failure is 503 so Meta redelivers.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Secret } from '../../config/secret.js';
import type { WebhookIntake } from '../../services/webhook-intake.js';
import { verifySignature } from '../../whatsapp/hub-signature.js';
import { verifyHandshake } from '../../whatsapp/webhook/verification.js';

/** The callback URL path to enter in the Meta app dashboard (after the public URL). */
export const WEBHOOK_PATH = '/webhooks/whatsapp';

/**
 * Body cap, bytes. Webhook deliveries are small JSON documents (a few KB
 * even when batched); 1 MiB leaves ample room, larger is 413.
 */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** Options of {@link whatsappWebhookRoutes}. */
export interface WhatsappWebhookOptions {
  /** `FLOWBRIDGE_VERIFY_TOKEN`; without it every handshake is refused. */
  readonly verifyToken: Secret | undefined;
  /** `FLOWBRIDGE_APP_SECRET` (several while rotating); without any, every POST is refused. */
  readonly appSecrets: readonly Secret[];
  readonly intake: Pick<WebhookIntake, 'receive'>;
  readonly bodyLimit?: number;
}

const EMPTY = Buffer.alloc(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Register both routes in their own encapsulated context (the raw-body parser does not leak). */
export const whatsappWebhookRoutes: FastifyPluginAsync<WhatsappWebhookOptions> = (scope: FastifyInstance, options) => {
  const bodyLimit = options.bodyLimit ?? WEBHOOK_BODY_LIMIT;
  const verifyToken = options.verifyToken?.reveal();
  const appSecrets = options.appSecrets.map((s) => s.reveal()).filter((s) => s !== '');
  if (appSecrets.length === 0) scope.log.error({}, 'FLOWBRIDGE_APP_SECRET is not set: every webhook POST to /webhooks/whatsapp is refused (401).');

  scope.removeAllContentTypeParsers();
  // Any content type: the signature is checked before the body is looked at.
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => {
    done(null, body);
  });

  scope.get(WEBHOOK_PATH, (request, reply) => {
    const query = (typeof request.query === 'object' && request.query !== null ? request.query : {}) as Record<string, unknown>;
    const result = verifyHandshake(query, verifyToken);
    reply.header('cache-control', 'no-store');
    if (!result.ok) {
      if (result.reason === 'no_verify_token_configured') {
        request.log.error({}, 'webhook verification refused: FLOWBRIDGE_VERIFY_TOKEN is not set; set it to the token entered in the Meta app dashboard');
      } else request.log.warn({ reason: result.reason }, 'webhook verification refused');
      return reply.code(403).send();
    }
    request.log.info({}, 'webhook verification accepted');
    return reply.code(200).header('x-content-type-options', 'nosniff').type('text/plain; charset=utf-8').send(result.challenge);
  });

  scope.post(WEBHOOK_PATH, { bodyLimit }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    const header = request.headers['x-hub-signature-256'];
    reply.header('cache-control', 'no-store');
    if (appSecrets.length === 0 || !verifySignature(raw, typeof header === 'string' ? header : undefined, appSecrets)) {
      request.log.warn({ signature: header === undefined ? 'missing' : 'mismatch', bytes: raw.length }, 'webhook refused: X-Hub-Signature-256 does not match any app secret');
      return reply.code(401).send();
    }
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      request.log.warn({ bytes: raw.length }, 'webhook refused: body is not UTF-8');
      return reply.code(400).send();
    }
    let result: Awaited<ReturnType<WebhookIntake['receive']>>;
    try {
      result = await options.intake.receive(text);
    } catch (err) {
      request.log.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook not stored; answering 503 so that Meta redelivers');
      return reply.code(503).send();
    }
    if (!result.ok) {
      request.log.warn({ bytes: raw.length }, 'webhook refused: body is not JSON');
      return reply.code(400).send();
    }
    request.log.info({ stored: result.stored, duplicates: result.duplicates, unknown: result.unknown }, 'webhook received');
    return reply.code(200).send();
  });
  return Promise.resolve();
};
