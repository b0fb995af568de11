/**
 * The handler API: how a flow's server-side behaviour is written. For each
 * flow id, a {@link FlowHandlers} object says what to do per action (INIT,
 * BACK, data_exchange) and per screen; each handler receives the decrypted
 * request with its session and returns one of three results built by
 * {@link next}, {@link error} or {@link complete} (Meta, "Implementing
 * Endpoints for Flows", section "Response payloads"; spec §2.5). The generic
 * handler of compiled forms plugs in as a flow's `fallback`, and so does a
 * developer's own code.
 * @module
 */
import { AppError } from '../core/errors.js';
import type { FlowSession } from './sessions.js';

/** The actions that reach a handler (ping and error notifications are answered by the endpoint itself). */
export type HandledAction = 'INIT' | 'BACK' | 'data_exchange';

/** What a handler receives: the decrypted request (spec §2.4) and the session its flow_token names. */
export interface FlowRequestContext {
  readonly action: HandledAction;
  /** The screen the request comes from; `undefined` on INIT (clients send it absent or `""`). */
  readonly screen: string | undefined;
  /** The request's `data` (the action payload with references resolved); `{}` when absent. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Data API version of the request ("3.0" or "4.0"). */
  readonly version: string;
  readonly flowToken: string;
  readonly session: FlowSession;
}

/** Show `screen` with `data` (which must fit that screen's `data` schema, or the client raises payload-schema-error). */
export interface NextResult {
  readonly kind: 'next';
  readonly screen: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Re-display the request's screen with a snackbar and optional per-field messages. */
export interface ErrorResult {
  readonly kind: 'error';
  readonly message: string;
  readonly fieldErrors: Readonly<Record<string, string>> | undefined;
}

/** Close the flow; `params` end up in the nfm_reply `response_json` next to `flow_token`. */
export interface CompleteResult {
  readonly kind: 'complete';
  readonly params: Readonly<Record<string, unknown>>;
}

/** Everything a handler may answer. */
export type HandlerResult = NextResult | ErrorResult | CompleteResult;

/** One piece of server-side behaviour. Throwing is a bug: the endpoint answers 500 and logs it. */
export type FlowHandler = (request: FlowRequestContext) => HandlerResult | Promise<HandlerResult>;

/** Handlers of one screen. */
export interface ScreenHandlers {
  /** A `data_exchange` action on this screen (Footer, on-select, EmbeddedLink…). */
  readonly data_exchange?: FlowHandler;
  /** The user went back from this screen, which has `refresh_on_back: true`. */
  readonly BACK?: FlowHandler;
}

/** A flow's server-side behaviour. The most specific handler wins: screen, then INIT, then `fallback`. */
export interface FlowHandlers {
  /** The flow was opened with `flow_action: "data_exchange"`: return its first screen. */
  readonly INIT?: FlowHandler;
  readonly screens?: Readonly<Record<string, ScreenHandlers>>;
  /** Any request not matched above; where the generic compiled-form handler plugs in. */
  readonly fallback?: FlowHandler;
}

/** Go to (or refresh) `screen` with `data`. */
export function next(screen: string, data: Record<string, unknown> = {}): NextResult {
  return { kind: 'next', screen, data };
}

/**
 * Re-display the current screen with `error_message` as a snackbar and, per
 * input name, `error_messages` (spec §2.9 "validation error re-display").
 * On INIT there is no current screen: use `next(screen, { error_message })`.
 */
export function error(message: string, fieldErrors?: Record<string, string>): ErrorResult {
  return { kind: 'error', message, fieldErrors };
}

/**
 * Finish: the session is completed and its submission stored exactly once,
 * then the flow closes with `SUCCESS` (spec §2.5). `flow_token` is added to
 * the params by the endpoint; a `flow_token` key given here is ignored.
 */
export function complete(params: Record<string, unknown> = {}): CompleteResult {
  return { kind: 'complete', params };
}

/** Flow id → handlers; flows are registered at start-up, looked up on every request. */
export interface HandlerRegistry {
  /** Register a flow's handlers; registering the same flow id twice is a programming error. */
  register(flowId: string, handlers: FlowHandlers): void;
  /** The handler for this request, or undefined when the flow has none for it. */
  resolve(flowId: string, action: HandledAction, screen: string | undefined): FlowHandler | undefined;
  /** Registered flow ids (for start-up logs). */
  flowIds(): string[];
}

function shapeProblem(handlers: FlowHandlers): string | undefined {
  const fn = (value: unknown) => value === undefined || typeof value === 'function';
  if (!fn(handlers.INIT)) return 'INIT must be a function';
  if (!fn(handlers.fallback)) return 'fallback must be a function';
  const screens: unknown = handlers.screens;
  if (screens === undefined) return undefined;
  if (typeof screens !== 'object' || screens === null) return 'screens must be an object of screen id → { data_exchange, BACK }';
  for (const [id, screen] of Object.entries(screens as Record<string, unknown>)) {
    const own = screen as Record<string, unknown> | null;
    if (typeof own !== 'object' || own === null || !fn(own.data_exchange) || !fn(own.BACK)) {
      return `screens.${id} must be { data_exchange?: function, BACK?: function }`;
    }
  }
  return undefined;
}

/** An empty registry. */
export function createHandlerRegistry(): HandlerRegistry {
  const flows = new Map<string, FlowHandlers>();
  return {
    register(flowId, handlers) {
      if (flowId === '') throw new AppError('USAGE_INVALID', 'flow id must not be empty');
      if (flows.has(flowId)) throw new AppError('USAGE_INVALID', `handlers for flow ${flowId} are already registered`);
      const problem = shapeProblem(handlers);
      if (problem !== undefined) throw new AppError('USAGE_INVALID', `handlers of flow ${flowId}: ${problem}`);
      flows.set(flowId, handlers);
    },
    resolve(flowId, action, screen) {
      const handlers = flows.get(flowId);
      if (handlers === undefined) return undefined;
      let specific: FlowHandler | undefined;
      if (action === 'INIT') specific = handlers.INIT;
      else if (screen !== undefined) {
        // Own-property lookup only: a screen named "constructor" or "__proto__" must not reach Object.prototype.
        const screens = handlers.screens;
        const own = screens !== undefined && Object.hasOwn(screens, screen) ? screens[screen] : undefined;
        specific = own?.[action];
      }
      return specific ?? handlers.fallback;
    },
    flowIds: () => [...flows.keys()],
  };
}
