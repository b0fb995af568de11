/**
 * `GET /api/stats?flow=&campaign=&since=&until=`: the per-flow funnel
 * (sent, opened, completed, in progress, drop-off by last screen) as JSON.
 * @module
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FlowStatsRepo } from '../../store/repos/flow-stats-repo.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 date or time').transform((v) => new Date(Date.parse(v)).toISOString());

const query = z.strictObject({
  flow: z.string().min(1).max(200).optional(),
  campaign: z.string().min(1).max(200).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

/** The route plugin, for `AppDeps.api.routes`. */
export function statsApi(stats: FlowStatsRepo): FastifyPluginAsync {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions by contract
  return async (app) => {
    app.get('/stats', async (request, reply) => {
      const parsed = query.safeParse(request.query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply.code(400).send({ error: 'bad_query', message: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}` });
      }
      const q = parsed.data;
      const funnels = await stats.funnels({
        ...(q.flow === undefined ? {} : { flowId: q.flow }),
        ...(q.campaign === undefined ? {} : { campaign: q.campaign }),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(q.until === undefined ? {} : { until: q.until }),
      });
      return reply.send({ flows: funnels });
    });
  };
}
