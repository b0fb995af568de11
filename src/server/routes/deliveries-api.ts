/**
 * The admin API over deliveries, for the `/api` mount (behind the API key,
 * see `api-auth.ts`) — the same operations as `flowbridge deliveries`:
 *
 * - `GET /deliveries?state=&sink=&flow=&submission=&since=&until=&limit=` → `{ deliveries: [...], counts: { state: n } }`, newest first;
 * - `GET /deliveries/:id` → `{ job, attempts, submission }`;
 * - `POST /deliveries/:id/retry` → `{ delivery }` (the job, pending again);
 * - `POST /deliveries/replay` with `{ submissionId, sink? }` or `{ from, to, sink?, flow?, dryRun? }` → the replay report.
 *
 * Times are ISO-8601 or a duration ago (`24h`). Errors are JSON
 * `{ error, message }`: 400 `invalid_request` (with `issues`, each naming
 * its field), 404 `not_found`, 409 `conflict` (e.g. retrying a delivered job).
 * @module
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import { parseDeliveryState, parseLimit, parseTimeArg, type DeliveryQueries } from '../../services/delivery/delivery-queries.js';
import type { DeliveryReplay, ReplayTarget } from '../../services/delivery/replay.js';

/** Options of {@link deliveriesApiRoutes}. */
export interface DeliveriesApiOptions {
  readonly queries: DeliveryQueries;
  readonly replay: DeliveryReplay;
  readonly now?: () => Date;
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const listQuery = z.strictObject({
  state: text(20).optional(),
  sink: text(200).optional(),
  flow: text(200).optional(),
  submission: text(200).optional(),
  since: text(64).optional(),
  until: text(64).optional(),
  limit: text(8).optional(),
});

const replayBody = z
  .strictObject({
    submissionId: text(200).optional(),
    from: text(64).optional(),
    to: text(64).optional(),
    sink: text(200).optional(),
    flow: text(200).optional(),
    dryRun: z.boolean().optional(),
  }, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')} (allowed: submissionId, from, to, sink, flow, dryRun)` : 'the body must be a JSON object') })
  .superRefine((b, ctx) => {
    const range = b.from !== undefined || b.to !== undefined;
    if (b.submissionId !== undefined && range) ctx.addIssue({ code: 'custom', path: ['submissionId'], message: 'give either submissionId or from/to, not both' });
    if (b.submissionId === undefined && !range) ctx.addIssue({ code: 'custom', path: [], message: 'give submissionId, or from and to' });
    if (range && b.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a range needs from' });
    if (range && b.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a range needs to' });
    if (b.submissionId !== undefined && b.flow !== undefined) ctx.addIssue({ code: 'custom', path: ['flow'], message: 'flow only goes with a range' });
    if (b.submissionId !== undefined && b.dryRun !== undefined) ctx.addIssue({ code: 'custom', path: ['dryRun'], message: 'dryRun only goes with a range' });
  });

interface Issue { readonly path: string; readonly message: string }

function invalid(reply: FastifyReply, issues: readonly Issue[]): FastifyReply {
  const message = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
  return reply.code(400).send({ error: 'invalid_request', message, issues });
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** AppErrors as their HTTP answers; anything else is rethrown (500 through Fastify's handler). */
function failed(reply: FastifyReply, error: unknown, field = ''): FastifyReply {
  if (isAppError(error, 'USAGE_INVALID')) return invalid(reply, [{ path: field, message: error.message }]);
  if (isAppError(error, 'NOT_FOUND')) return reply.code(404).send({ error: 'not_found', message: error.message });
  if (isAppError(error, 'CONFLICT')) return reply.code(409).send({ error: 'conflict', message: error.message });
  throw error;
}

/** Parse one field with a parser that throws USAGE_INVALID, collecting the issue. */
function field<T>(issues: Issue[], path: string, value: string | undefined, parse: (v: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(value);
  } catch (error) {
    issues.push({ path, message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** The route plugin, to list in the `/api` routes of `buildApp`. */
export function deliveriesApiRoutes(options: DeliveriesApiOptions): FastifyPluginAsync {
  const now = options.now ?? (() => new Date());
  return (scope) => {
    scope.get<{ Querystring: Record<string, unknown> }>('/deliveries', async (request, reply) => {
      const parsed = listQuery.safeParse(request.query);
      if (!parsed.success) return invalid(reply, zodIssues(parsed.error));
      const q = parsed.data;
      const at = now();
      const issues: Issue[] = [];
      const query = {
        state: field(issues, 'state', q.state, (v) => parseDeliveryState(v)),
        since: field(issues, 'since', q.since, (v) => parseTimeArg(v, at, 'since')),
        until: field(issues, 'until', q.until, (v) => parseTimeArg(v, at, 'until')),
        limit: field(issues, 'limit', q.limit, (v) => parseLimit(v)),
        sinkName: q.sink, flowId: q.flow, submissionId: q.submission,
      };
      if (issues.length > 0) return invalid(reply, issues);
      try {
        return reply.header('cache-control', 'no-store').send({ deliveries: await options.queries.list(query), counts: await options.queries.counts() });
      } catch (error) {
        return failed(reply, error);
      }
    });

    scope.get<{ Params: { id: string } }>('/deliveries/:id', async (request, reply) => {
      try {
        return reply.header('cache-control', 'no-store').send(await options.queries.show(request.params.id));
      } catch (error) {
        return failed(reply, error);
      }
    });

    scope.post<{ Params: { id: string } }>('/deliveries/:id/retry', async (request, reply) => {
      try {
        const job = await options.replay.retry(request.params.id);
        return reply.send({ delivery: (await options.queries.show(job.id)).job });
      } catch (error) {
        return failed(reply, error);
      }
    });

    scope.post<{ Body: unknown }>('/deliveries/replay', async (request, reply) => {
      const parsed = replayBody.safeParse(request.body ?? undefined);
      if (!parsed.success) return invalid(reply, zodIssues(parsed.error));
      const b = parsed.data;
      let target: ReplayTarget;
      if (b.submissionId !== undefined) {
        target = { submissionId: b.submissionId, sinkName: b.sink };
      } else {
        const at = now();
        const issues: Issue[] = [];
        const from = field(issues, 'from', b.from, (v) => parseTimeArg(v, at, 'from'));
        const to = field(issues, 'to', b.to, (v) => parseTimeArg(v, at, 'to'));
        if (issues.length > 0 || from === undefined || to === undefined) return invalid(reply, issues);
        if (from.getTime() >= to.getTime()) return invalid(reply, [{ path: 'to', message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` }]);
        target = { from, to, sinkName: b.sink, flowId: b.flow };
      }
      try {
        return reply.send(await options.replay.replay(target, { dryRun: b.dryRun === true }));
      } catch (error) {
        return failed(reply, error);
      }
    });
    return Promise.resolve();
  };
}
