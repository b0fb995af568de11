/**
 * Reading a decrypted endpoint request (spec §2.4; Meta, "Implementing
 * Endpoints for Flows", section "Request payloads"). Strict about types (a
 * field of the wrong type is refused), lenient about what clients are known
 * to vary: `screen: ""` and `data: {}` on INIT/BACK, a missing `flow_token`
 * (some iOS builds, spec §8 gotcha 4), unknown extra keys.
 * @module
 */
import { isObject } from '../core/flow/json.js';
import type { HandledAction } from './flow-handlers.js';

/** A request the endpoint understands. */
export type FlowRequest =
  | { readonly kind: 'ping'; readonly version: string }
  /** The client could not use a previous reply; answered `{"data":{"acknowledged":true}}`. */
  | {
      readonly kind: 'error-notification';
      readonly action: string;
      readonly version: string;
      readonly flowToken: string | undefined;
      readonly screen: string | undefined;
      /** Meta's error code (`error`, or `error_key` in the docs' table; the spec leaves which one open). */
      readonly error: string;
      readonly errorMessage: string | undefined;
    }
  | {
      readonly kind: 'exchange';
      readonly action: HandledAction;
      readonly version: string;
      readonly flowToken: string | undefined;
      readonly flowTokenSignature: string | undefined;
      readonly screen: string | undefined;
      readonly data: Readonly<Record<string, unknown>>;
    };

/** Why a decrypted request was refused (answered 400: it decrypted, so 421 would make the client retry in vain). */
export type FlowRequestProblem = 'not-an-object' | 'bad-field-type' | 'unknown-action';

/** Result of {@link parseFlowRequest}. */
export type FlowRequestParse =
  | { readonly ok: true; readonly request: FlowRequest }
  | { readonly ok: false; readonly problem: FlowRequestProblem; readonly detail: string };

const HANDLED: ReadonlySet<string> = new Set<HandledAction>(['INIT', 'BACK', 'data_exchange']);

/** Data API version assumed when a request omits `version` (the oldest that has the endpoint). */
const DEFAULT_VERSION = '3.0';

function bad(detail: string): FlowRequestParse {
  return { ok: false, problem: 'bad-field-type', detail };
}

function optionalString(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

/** Read a decrypted plaintext. Never throws. */
export function parseFlowRequest(plaintext: unknown): FlowRequestParse {
  if (!isObject(plaintext)) return { ok: false, problem: 'not-an-object', detail: 'request is not a JSON object' };
  const action = plaintext.action;
  if (typeof action !== 'string') return bad('action must be a string');
  const version = optionalString(plaintext.version);
  if (version === null) return bad('version must be a string');
  if (action === 'ping') return { ok: true, request: { kind: 'ping', version: version ?? DEFAULT_VERSION } };

  const flowToken = optionalString(plaintext.flow_token);
  const signature = optionalString(plaintext.flow_token_signature);
  const screenText = optionalString(plaintext.screen);
  if (flowToken === null) return bad('flow_token must be a string');
  if (signature === null) return bad('flow_token_signature must be a string');
  if (screenText === null) return bad('screen must be a string');
  const rawData = plaintext.data ?? {};
  if (!isObject(rawData)) return bad('data must be an object');
  const screen = screenText === '' ? undefined : screenText;
  const v = version ?? DEFAULT_VERSION;

  // Error notifications come as data_exchange or INIT (and pywa's undocumented "navigate"): any action.
  const error = typeof rawData.error === 'string' ? rawData.error : typeof rawData.error_key === 'string' ? rawData.error_key : undefined;
  if (error !== undefined) {
    const message = rawData.error_message;
    return {
      ok: true,
      request: {
        kind: 'error-notification', action, version: v, flowToken, screen, error,
        errorMessage: typeof message === 'string' ? message : undefined,
      },
    };
  }
  if (!HANDLED.has(action)) return { ok: false, problem: 'unknown-action', detail: 'action is not ping, INIT, BACK or data_exchange' };
  return {
    ok: true,
    request: {
      kind: 'exchange', action: action as HandledAction, version: v, flowToken,
      flowTokenSignature: signature, screen, data: rawData,
    },
  };
}
