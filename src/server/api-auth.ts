/**
 * Authentication of the `/api/*` routes (agents, bots, helpdesks, CRMs, the
 * admin API): `Authorization: Bearer <FLOWBRIDGE_API_KEY>`, compared in
 * constant time. No key configured → every request is refused (401), so an
 * API is never open by accident. Register {@link apiRoutes} with the route
 * plugins that need it; they are mounted under `/api`.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Secret } from '../config/secret.js';

/** The API key check as a Fastify `onRequest` hook. */
export function requireApiKey(apiKey: Secret | undefined) {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const expected = apiKey === undefined ? undefined : createHash('sha256').update(apiKey.reveal()).digest();
  return async function checkApiKey(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (expected === undefined) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'api_disabled', message: 'The API is disabled: set FLOWBRIDGE_API_KEY on the server and send it as "Authorization: Bearer <key>".' });
      return;
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const given = match?.[1];
    if (given === undefined || !timingSafeEqual(createHash('sha256').update(given).digest(), expected)) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Missing or wrong API key: send "Authorization: Bearer <FLOWBRIDGE_API_KEY>".' });
    }
  };
}

/** Options of {@link apiRoutes}. */
export interface ApiRoutesOptions {
  readonly apiKey: Secret | undefined;
  /** Route plugins mounted under `/api`, all behind the key check. */
  readonly routes: ReadonlyArray<FastifyPluginAsync>;
}

/** Mount `routes` under `/api` behind {@link requireApiKey}. */
export async function registerApiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  await app.register(async (api) => {
    api.addHook('onRequest', requireApiKey(options.apiKey));
    for (const routes of options.routes) await api.register(routes);
  }, { prefix: '/api' });
}
