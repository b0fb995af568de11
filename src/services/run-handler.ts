/**
 * Runs a flow's handler for one request and turns its result into the reply
 * plaintext (spec §2.5; Meta, "Implementing Endpoints for Flows", section
 * "Response payloads"): `next` → `{screen, data}`; `error` → the request's
 * screen with `error_message` / `error_messages`; `complete` → the session
 * completed exactly once, then `SUCCESS` with
 * `extension_message_response.params` (flow_token first).
 * @module
 */
import { isObject } from '../core/flow/json.js';
import { serializeFlowJson } from '../core/runtime/endpoint/flow-crypto.js';
import type { LogSink } from './client-error-recorder.js';
import type { FlowRequestContext, HandlerRegistry, HandlerResult } from './flow-handlers.js';
import type { FlowRequest } from './flow-request.js';
import type { FlowSession, SessionRefusal, SessionService } from './sessions.js';

/** The screen id that closes a flow; only {@link complete} may produce it. */
export const SUCCESS_SCREEN = 'SUCCESS';

/** What became of a handler run. */
export type HandlerRun =
  | { readonly kind: 'reply'; readonly response: unknown; readonly outcome: 'next' | 'error' | 'complete' }
  /** The completion lost a race with another one (a retry, or the nfm_reply webhook): answer 427. */
  | { readonly kind: 'refused'; readonly reason: SessionRefusal }
  | { readonly kind: 'failed'; readonly outcome: 'no-handler' | 'handler-failed' };

type Exchange = Extract<FlowRequest, { kind: 'exchange' }>;

function problemOf(result: unknown, request: Exchange): string | undefined {
  if (!isObject(result)) return 'handler returned no result (use next(), error() or complete())';
  const r = result as unknown as HandlerResult;
  switch (r.kind) {
    case 'next':
      if (typeof r.screen !== 'string' || r.screen === '') return 'next() needs a screen id';
      if (r.screen === SUCCESS_SCREEN) return 'next("SUCCESS") cannot close a flow: use complete()';
      return isObject(r.data) ? undefined : 'next() data must be an object';
    case 'error':
      if (typeof r.message !== 'string' || r.message === '') return 'error() needs a message';
      if (request.screen === undefined) return 'error() re-displays the current screen, and INIT has none: use next(screen, { error_message })';
      return r.fieldErrors === undefined || isObject(r.fieldErrors) ? undefined : 'error() field errors must be an object';
    case 'complete':
      return isObject(r.params) ? undefined : 'complete() params must be an object';
    default:
      return 'handler result has an unknown kind (use next(), error() or complete())';
  }
}

/**
 * Resolve and run the handler. Never throws for handler bugs (they are
 * logged and reported as `failed`); store failures propagate.
 */
export async function runHandler(
  registry: HandlerRegistry,
  sessions: SessionService,
  request: Exchange,
  session: FlowSession,
  logger: LogSink,
): Promise<HandlerRun> {
  const where = { flowId: session.flowId, action: request.action, screen: request.screen };
  const handler = registry.resolve(session.flowId, request.action, request.screen);
  if (handler === undefined) {
    logger.error(where, 'no handler for this flow, action and screen');
    return { kind: 'failed', outcome: 'no-handler' };
  }
  const flowToken = session.flowToken;
  const context: FlowRequestContext = {
    action: request.action, screen: request.screen, data: request.data, version: request.version, flowToken, session,
  };
  let result: HandlerResult;
  try {
    result = await handler(context);
  } catch (err) {
    logger.error({ ...where, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'flow handler threw');
    return { kind: 'failed', outcome: 'handler-failed' };
  }
  const problem = problemOf(result, request);
  if (problem !== undefined) {
    logger.error({ ...where, problem }, 'flow handler returned an unusable result');
    return { kind: 'failed', outcome: 'handler-failed' };
  }
  switch (result.kind) {
    case 'next':
      // Best effort and off the reply's path: a lost "last screen" must not fail the user's step.
      sessions.recordScreen(flowToken, result.screen).catch((err: unknown) => {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record the last screen');
      });
      return { kind: 'reply', response: { screen: result.screen, data: result.data }, outcome: 'next' };
    case 'error': {
      const data: Record<string, unknown> = { error_message: result.message };
      if (result.fieldErrors !== undefined) data.error_messages = result.fieldErrors;
      return { kind: 'reply', response: { screen: request.screen, data }, outcome: 'error' };
    }
    case 'complete':
      return completeSession(sessions, flowToken, result.params, logger, where);
  }
}

async function completeSession(
  sessions: SessionService,
  flowToken: string,
  handlerParams: Readonly<Record<string, unknown>>,
  logger: LogSink,
  where: object,
): Promise<HandlerRun> {
  const { flow_token: _ignored, ...rest } = handlerParams;
  const params = { flow_token: flowToken, ...rest };
  let responseJson: string;
  try {
    responseJson = serializeFlowJson(params);
  } catch {
    logger.error(where, 'complete() params are not representable as JSON');
    return { kind: 'failed', outcome: 'handler-failed' };
  }
  const stored = await sessions.complete(flowToken, responseJson);
  if (!stored.created) return { kind: 'refused', reason: stored.reason === 'duplicate' ? 'completed' : 'unknown' };
  return { kind: 'reply', response: { screen: SUCCESS_SCREEN, data: { extension_message_response: { params } } }, outcome: 'complete' };
}
