/**
 * The broadcasts API, mounted under `/api` behind the API key
 * (`registerApiRoutes`): create a broadcast from a CSV contact list, start,
 * pause, resume, cancel it, and read its progress.
 *
 * - `POST /broadcasts` — either `Content-Type: text/csv` with the list as the
 *   body and `?flow=F[&region=NL][&opted_in=true][&rate=80][&param=first_name&param=city]`,
 *   or JSON `{ "flow", "csv", "region"?, "optedIn"?, "rate"?, "params"? }`.
 *   `params` (`param`) are the columns filling the template body's
 *   placeholders: in order for `{{1}}`, `{{2}}`…, `placeholder=column` for
 *   named ones (default: columns `1`, `2`… or the placeholder's name; see
 *   `services/broadcast/template-params.ts`). 201 with the broadcast, its
 *   recipient count, `bodyParameters` (`[{ placeholder, column }]`) and the refused rows (line + reason, e.g. an empty
 *   parameter value); 400 bad request or unusable list (a parameter column
 *   missing, parameters not matching the template); 404 unknown flow; 422
 *   no usable row.
 * - `POST /broadcasts/:id/start|pause|resume|cancel` — 200 with the
 *   broadcast; 404 unknown; 409 not possible in its state (or template not
 *   approved, flow not published).
 * - `GET /broadcasts` — the 50 newest broadcasts.
 * - `GET /broadcasts/:id` — 200 with the broadcast, its counters
 *   (queued/sent/delivered/read/failed/skipped/opened/completed) and the first
 *   failed recipients.
 * @module
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import { broadcastJson, broadcastStatusJson, type BroadcastService } from '../../services/broadcast/broadcast-service.js';

/** Options of {@link broadcastsApi}. */
export interface BroadcastsApiOptions {
  readonly service: BroadcastService;
  /** Largest contact list accepted, in bytes (default 10 MiB). */
  readonly bodyLimit?: number;
}

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);
const rate = z.coerce.number({ error: 'rate must be a number of messages per second' }).positive('rate must be more than 0').max(1000, 'rate must be at most 1000');
const param = z.string({ error: 'each parameter must be a column name (or placeholder=column)' }).min(1, 'a parameter must name a column');
const params = z.array(param, { error: 'params must be an array of column names, e.g. ["first_name", "city"]' }).max(100, 'at most 100 parameters');
const csvQuery = z.object({ flow: z.string().min(1, 'flow is required'), region: z.string().optional(), opted_in: flag.optional(), rate: rate.optional(), param: z.union([param.transform((p) => [p]), params]).optional() });
const jsonBody = z.object({ flow: z.string().min(1, 'flow is required'), csv: z.string({ error: 'csv (the contact list text) is required' }), region: z.string().optional(), optedIn: z.boolean().optional(), rate: rate.optional(), params: params.optional() });
const ACTIONS = ['start', 'pause', 'resume', 'cancel'] as const;

function issueText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

async function fail(reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  if (!isAppError(error)) throw error;
  const body: Record<string, unknown> = { error: error.code.toLowerCase(), message: error.message };
  if (error.details !== undefined) Object.assign(body, error.details);
  return reply.code(error.status).send(body);
}

/** The route plugin. */
export function broadcastsApi(options: BroadcastsApiOptions): FastifyPluginAsync {
  const { service } = options;
  const bodyLimit = options.bodyLimit ?? 10 * 1024 * 1024;
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app) => {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, body));

    app.post('/broadcasts', { bodyLimit }, async (request, reply) => {
      const isCsv = (request.headers['content-type'] ?? '').startsWith('text/csv');
      const parsed = isCsv
        ? csvQuery.safeParse(request.query)
        : jsonBody.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: `${issueText(parsed.error)}. Send text/csv with ?flow=…[&param=<column>…], or JSON { "flow", "csv", "region"?, "optedIn"?, "rate"?, "params"? }.` });
      const input = 'csv' in parsed.data
        ? { flowId: parsed.data.flow, csv: parsed.data.csv, region: parsed.data.region, optedIn: parsed.data.optedIn, rate: parsed.data.rate, params: parsed.data.params }
        : { flowId: parsed.data.flow, csv: typeof request.body === 'string' ? request.body : '', region: parsed.data.region, optedIn: parsed.data.opted_in, rate: parsed.data.rate, params: parsed.data.param };
      try {
        const created = await service.create(input);
        return await reply.code(201).send({ broadcast: broadcastJson(created.broadcast), recipients: created.recipients, rejected: created.rejected, bodyParameters: created.bodyParameters });
      } catch (error) {
        return fail(reply, error);
      }
    });

    for (const action of ACTIONS) {
      app.post<{ Params: { id: string } }>(`/broadcasts/:id/${action}`, async (request, reply) => {
        try {
          return await reply.send({ broadcast: broadcastJson(await service[action](request.params.id)) });
        } catch (error) {
          return fail(reply, error);
        }
      });
    }

    app.get('/broadcasts', async () => ({ broadcasts: (await service.list()).map(broadcastJson) }));

    app.get<{ Params: { id: string } }>('/broadcasts/:id', async (request, reply) => {
      try {
        return await reply.send(broadcastStatusJson(await service.status(request.params.id)));
      } catch (error) {
        return fail(reply, error);
      }
    });
  };
}
