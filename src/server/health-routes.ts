/**
 * `GET /healthz` (liveness: the process answers) and `GET /readyz`
 * (readiness: the database answers and a private key is loaded, so endpoint
 * requests can be served). Load balancers and Docker's HEALTHCHECK use them;
 * Meta's own health check is the encrypted ping (spec §2.8).
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/** Reasons the server is not ready; empty when ready. */
export type ReadinessCheck = () => Promise<string[]>;

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  readonly readiness: ReadinessCheck;
}

/** Register both routes. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = (scope: FastifyInstance, options) => {
  scope.get('/healthz', (_request, reply) => reply.code(200).header('cache-control', 'no-store').send({ status: 'ok' }));
  scope.get('/readyz', async (_request, reply) => {
    const reasons = await options.readiness();
    reply.header('cache-control', 'no-store');
    return reasons.length === 0 ? reply.code(200).send({ status: 'ready' }) : reply.code(503).send({ status: 'not-ready', reasons });
  });
  return Promise.resolve();
};
