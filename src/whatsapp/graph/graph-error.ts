/**
 * The Graph API error envelope (spec §7.6; Meta, "Graph API error handling"
 * and Cloud API "Error codes") parsed into one typed error. Callers decide
 * whether to retry: {@link GraphError.retryable} and
 * {@link GraphError.retryAfterMs} say whether it can help and how long to
 * wait first; {@link GraphError.userMessage} says what to tell a person.
 * @module
 */
import { AppError } from '../../core/errors.js';
import { isObject } from '../../core/flow/json.js';
import { graphErrorRule, type GraphErrorKind } from './graph-error-codes.js';

/** The fields of Meta's `{"error": {...}}` envelope, all optional but `message`. */
export interface GraphErrorEnvelope {
  readonly message: string;
  readonly type?: string;
  readonly code?: number;
  readonly errorSubcode?: number;
  readonly details?: string;
  readonly fbtraceId?: string;
  readonly isTransient?: boolean;
  readonly errorUserTitle?: string;
  readonly errorUserMsg?: string;
}

/** What a {@link GraphError} is built from. */
export interface GraphErrorInit {
  /** HTTP status, 0 for a network failure or timeout. */
  readonly httpStatus: number;
  readonly envelope?: GraphErrorEnvelope;
  /** Server's `Retry-After` in ms, when it sent one. */
  readonly retryAfterHeaderMs?: number;
  /** For failures without an envelope: what happened. */
  readonly message?: string;
  readonly cause?: unknown;
}

/**
 * A failed Graph API call. `code` (from AppError) is always `GRAPH_API_ERROR`;
 * {@link graphCode} is Meta's numeric code when the reply had an envelope.
 */
export class GraphError extends AppError {
  readonly httpStatus: number;
  readonly graphCode: number | undefined;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly graphDetails: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly kind: GraphErrorKind;
  override readonly retryable: boolean;
  /** Suggested wait before the first retry, when retrying can help. */
  readonly retryAfterMs: number | undefined;
  readonly userMessage: string;

  constructor(init: GraphErrorInit) {
    const env = init.envelope;
    const rule = graphErrorRule(env?.code);
    const serverError = init.httpStatus === 0 || init.httpStatus >= 500;
    const transient = env?.isTransient === true || (rule === undefined && serverError);
    const retryable = rule?.retryable ?? transient;
    const retryAfterMs = retryable ? (init.retryAfterHeaderMs ?? rule?.retryAfterMs ?? 2000) : undefined;
    const detail = env?.details ? `: ${env.details}` : '';
    const message = env ? `Graph API error ${env.code ?? '?'} (HTTP ${init.httpStatus}) ${env.message}${detail}` : (init.message ?? `Graph API call failed with HTTP ${init.httpStatus}`);
    super('GRAPH_API_ERROR', message, {
      // our own callers see a bad gateway when Meta could not be reached or answered nonsense
      status: init.httpStatus >= 400 ? init.httpStatus : 502,
      cause: init.cause,
      details: { graphCode: env?.code, subcode: env?.errorSubcode, fbtraceId: env?.fbtraceId },
    });
    this.name = 'GraphError';
    this.httpStatus = init.httpStatus;
    this.graphCode = env?.code;
    this.subcode = env?.errorSubcode;
    this.type = env?.type;
    this.graphDetails = env?.details;
    this.fbtraceId = env?.fbtraceId;
    this.kind = rule?.kind ?? (transient ? 'transient' : 'unknown');
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
    this.userMessage = env?.errorUserMsg ?? rule?.userMessage ?? (retryable ? 'Meta could not be reached or failed; retry shortly.' : `Meta refused the request: ${env?.message ?? message}`);
  }
}

/** True when `error` is a {@link GraphError}, optionally with Meta code `code`. */
export function isGraphError(error: unknown, code?: number): error is GraphError {
  return error instanceof GraphError && (code === undefined || error.graphCode === code);
}

function intOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function strOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Read Meta's envelope out of a reply body. Never throws: returns undefined
 * when the body is not JSON or has no `error` object with a message or code.
 */
export function parseGraphErrorEnvelope(bodyText: string): GraphErrorEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const e = body.error;
  const code = intOf(e.code);
  const message = strOf(e.message);
  if (message === undefined && code === undefined) return undefined;
  const data = isObject(e.error_data) ? e.error_data : undefined;
  // error_data is an object on the Cloud API but a JSON string on some Graph endpoints.
  const details = data ? strOf(data.details) : strOf(e.error_data);
  return {
    message: message ?? '',
    ...(strOf(e.type) !== undefined && { type: strOf(e.type) }),
    ...(code !== undefined && { code }),
    ...(intOf(e.error_subcode) !== undefined && { errorSubcode: intOf(e.error_subcode) }),
    ...(details !== undefined && { details }),
    ...(strOf(e.fbtrace_id) !== undefined && { fbtraceId: strOf(e.fbtrace_id) }),
    ...(typeof e.is_transient === 'boolean' && { isTransient: e.is_transient }),
    ...(strOf(e.error_user_title) !== undefined && { errorUserTitle: strOf(e.error_user_title) }),
    ...(strOf(e.error_user_msg) !== undefined && { errorUserMsg: strOf(e.error_user_msg) }),
  };
}

/** `Retry-After` (seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The error for a non-2xx reply. */
export function graphErrorFromResponse(httpStatus: number, bodyText: string, retryAfterHeader?: string | null): GraphError {
  const envelope = parseGraphErrorEnvelope(bodyText);
  const retryAfterHeaderMs = parseRetryAfter(retryAfterHeader);
  return new GraphError({
    httpStatus,
    ...(envelope && { envelope }),
    ...(retryAfterHeaderMs !== undefined && { retryAfterHeaderMs }),
    ...(!envelope && { message: `Graph API call failed with HTTP ${httpStatus} and no error envelope: ${bodyText.slice(0, 200)}` }),
  });
}
