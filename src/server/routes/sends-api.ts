/**
 * `POST /api/sends` and `GET /api/sends/:id` for agents, bots, helpdesks
 * and CRMs (mounted under `/api` behind the API key by `registerApiRoutes`).
 *
 * POST `{ to, flow, mode?, campaign?, bodyParameters? }` with an optional `Idempotency-Key`
 * header (`bodyParameters`: the template body's values, `[{ "text" }…]` in
 * order for `{{1}}`…, `[{ "name", "text" }…]` for a named template; checked
 * as a broadcast's are, `services/template-body-params.ts`): 201 `{ sendId, flowToken, wamid, kind, waId }`, or 200 with the
 * same body when the key was used before (nothing is sent again). 400 bad
 * body or phone number, 404 unknown flow, 409 not published / in progress /
 * outcome unknown, 422 no template outside the window or a key reused for
 * another send, 502 Meta refused, 503 Meta failed or throttled (with
 * `Retry-After`). GET gives the send's state and its message statuses.
 * @module
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { FlowSender, SendFlowResult } from '../../services/flow-sender.js';
import { bodyParameterProblem } from '../../services/template-body-params.js';
import type { MessageStatusRepo } from '../../store/repos/message-status-repo.js';
import type { SendRepo } from '../../store/repos/send-repo.js';

/** Options of {@link sendsApiRoutes}. */
export interface SendsApiOptions {
  readonly sender: FlowSender;
  readonly sends: Pick<SendRepo, 'get'>;
  readonly statuses: Pick<MessageStatusRepo, 'listStatuses'>;
}

const sendBody = z.strictObject({
  to: z.string().min(1, 'must not be empty').max(40, 'must be at most 40 characters'),
  flow: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  mode: z.enum(['auto', 'interactive', 'template']).optional(),
  campaign: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  bodyParameters: z.array(
    z.strictObject({ text: z.string({ error: 'must be a string' }), name: z.string({ error: 'must be a string' }).optional() }, { error: 'must be an object {"text": "…"} or {"name": "…", "text": "…"}' }),
    { error: 'must be an array of {"text": "…", "name"?: "…"}' },
  ).max(100, 'must hold at most 100 parameters').superRefine((params, ctx) => {
    const bad = bodyParameterProblem(params);
    if (bad !== undefined) ctx.addIssue({ code: 'custom', path: [bad.index, bad.field], message: bad.message });
  }).optional(),
});

/** `bodyParameters.1.text` as `bodyParameters[1].text`. */
const issuePath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || 'body';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** HTTP status of each refusal code of the sender. */
const refusalStatus: Readonly<Record<string, number>> = {
  bad_phone: 400, unknown_flow: 404, not_published: 409, in_progress: 409, outcome_unknown: 409, no_template: 422, idempotency_conflict: 422,
};

function problem(reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).header('cache-control', 'no-store').send({ error, message, ...extra });
}

function refusal(reply: FastifyReply, result: Extract<SendFlowResult, { ok: false }>) {
  const g = result.graphError;
  if (result.code === 'graph_error' && g !== undefined) {
    const retryAfter = g.retryable ? Math.max(1, Math.ceil((g.retryAfterMs ?? 1000) / 1000)) : undefined;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    return problem(reply, g.retryable ? 503 : 502, 'graph_error', result.message, { graphCode: g.graphCode ?? null, retryable: g.retryable, ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }) });
  }
  if (result.code === 'in_progress') reply.header('retry-after', '1');
  return problem(reply, refusalStatus[result.code] ?? 500, result.code, result.message);
}

/** The routes; register inside the `/api` scope. */
export const sendsApiRoutes: FastifyPluginAsync<SendsApiOptions> = (scope: FastifyInstance, options) => {
  scope.setErrorHandler((err: FastifyError, _request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      scope.log.error({ err: { name: err.name, message: err.message } }, 'send request failed');
      return problem(reply, 500, 'internal', 'The send could not be processed; nothing is known to have been sent. Retry with the same Idempotency-Key.');
    }
    return problem(reply, status, 'bad_request', `The body must be JSON: ${err.message}`);
  });

  scope.post('/sends', async (request, reply) => {
    const parsed = sendBody.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`);
      return problem(reply, 400, 'bad_request', `Invalid send request: ${issues.join('; ')}. Expected {"to": "+31612345678", "flow": "<flow id>", "mode"?: "auto"|"interactive"|"template", "campaign"?: "…", "bodyParameters"?: [{"text": "…", "name"?: "…"}]}.`);
    }
    const header = request.headers['idempotency-key'];
    if (header !== undefined && (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header))) {
      return problem(reply, 400, 'bad_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters (e.g. a UUID).');
    }
    const body = parsed.data;
    const result = await options.sender.send({
      flowId: body.flow, to: body.to, entry: 'api',
      ...(body.mode !== undefined && { mode: body.mode }),
      ...(body.campaign !== undefined && { campaign: body.campaign }),
      ...(body.bodyParameters !== undefined && body.bodyParameters.length > 0 && { bodyParameters: body.bodyParameters }),
      ...(header !== undefined && { idempotencyKey: `api:${header}` }),
    });
    if (!result.ok) return refusal(reply, result);
    request.log.info({ sendId: result.sendId, flow: body.flow, kind: result.kind, repeated: result.repeated }, 'flow sent');
    return reply.code(result.repeated ? 200 : 201).header('cache-control', 'no-store').send({ sendId: result.sendId, flowToken: result.flowToken, wamid: result.wamid, kind: result.kind, waId: result.waId });
  });

  scope.get<{ Params: { id: string } }>('/sends/:id', async (request, reply) => {
    const send = await options.sends.get(request.params.id);
    if (send === undefined) return problem(reply, 404, 'not_found', `No send with id "${request.params.id.slice(0, 80)}".`);
    const statuses = send.wamid === null ? [] : await options.statuses.listStatuses(send.wamid);
    return reply.header('cache-control', 'no-store').send({
      sendId: send.id, flow: send.flowId, waId: send.waId, kind: send.kind, entry: send.entry, campaign: send.campaign,
      state: send.state, wamid: send.wamid, attempts: send.attempts,
      error: send.errorCode === null ? null : { code: send.errorCode, message: send.error },
      createdAt: send.createdAt.toISOString(), updatedAt: send.updatedAt.toISOString(),
      statuses: statuses.map((s) => ({ status: s.status, occurredAt: s.occurredAt?.toISOString() ?? null, errorCode: s.errorCode })),
    });
  });
  return Promise.resolve();
};

/** The routes bound to their options, for `ApiRoutesOptions.routes`. */
export function sendsApi(options: SendsApiOptions): FastifyPluginAsync {
  return async (api) => {
    await api.register(sendsApiRoutes, options);
  };
}
