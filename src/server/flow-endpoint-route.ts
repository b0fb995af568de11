/**
 * `POST /flows/endpoint`: the HTTP side of the data-exchange endpoint (spec
 * §2.1; Meta, "Implementing Endpoints for Flows"). The body is kept as raw
 * bytes, because `X-Hub-Signature-256` signs them exactly as sent (spec §8
 * gotcha 3); `application/json` and `text/plain` are accepted, anything else
 * is 415. Successful answers are the bare base64 text with `text/plain`
 * (gotcha 1); every other answer has an empty body.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { FlowEndpoint } from '../services/flow-endpoint.js';

/**
 * Body cap, bytes: Meta's endpoint payload limit is 10 MB (raised Oct 2024,
 * spec §1.11); read as 10 MiB of plaintext, its base64 ciphertext is
 * ⌈(10 MiB + 16-byte tag) / 3⌉ × 4 ≈ 13.34 MiB, plus the 344-character key,
 * the IV and the JSON envelope. 14 MiB covers that with room; larger is 413.
 */
export const ENDPOINT_BODY_LIMIT = 14 * 1024 * 1024;

/** Path Meta is given as the flow's `endpoint_uri` (after the public URL). */
export const ENDPOINT_PATH = '/flows/endpoint';

const EMPTY = Buffer.alloc(0);

/** Options of {@link flowEndpointRoute}. */
export interface FlowEndpointRouteOptions {
  readonly endpoint: FlowEndpoint;
  readonly bodyLimit?: number;
}

/** Register the route in its own encapsulated context (raw-body parsers do not leak to other routes). */
export const flowEndpointRoute: FastifyPluginAsync<FlowEndpointRouteOptions> = (scope: FastifyInstance, options) => {
  const bodyLimit = options.bodyLimit ?? ENDPOINT_BODY_LIMIT;
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => {
    done(null, body);
  });
  scope.post(ENDPOINT_PATH, { bodyLimit }, async (request, reply) => {
    const started = performance.now();
    const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    const header = request.headers['x-hub-signature-256'];
    const answer = await options.endpoint.handle(raw, typeof header === 'string' ? header : undefined);
    const fields = { outcome: answer.outcome, status: answer.status, ms: Math.round((performance.now() - started) * 10) / 10 };
    // Answered requests are the bulk of the traffic: one line each only at debug (a log write per request
    // cost measurable throughput at info). Refusals and failures are always logged.
    if (answer.status === 200) request.log.debug(fields, 'flow endpoint request');
    else if (answer.status >= 500) request.log.error(fields, 'flow endpoint request failed');
    else request.log.warn(fields, 'flow endpoint request refused');
    reply.code(answer.status).header('cache-control', 'no-store');
    if (answer.body === '') return reply.send();
    return reply.type('text/plain; charset=utf-8').send(answer.body);
  });
  return Promise.resolve();
};
