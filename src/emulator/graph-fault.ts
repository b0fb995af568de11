/**
 * Errors the emulator answers with, in Meta's envelope exactly (spec §7.6;
 * Graph API "Handling errors"): `{"error": {message, type, code,
 * error_subcode?, error_data: {messaging_product, details}, error_user_title?,
 * error_user_msg?, fbtrace_id}}`. Handlers throw a {@link GraphFault}; the
 * router turns it into the envelope, so no handler can answer an error of
 * another shape.
 * @module
 */
import { randomBytes } from 'node:crypto';

/** Everything an error reply carries. */
export interface GraphFaultInit {
  readonly httpStatus?: number;
  readonly code: number;
  /** Short title, shown as `(#code) title` like Meta. */
  readonly title: string;
  readonly details?: string;
  readonly subcode?: number;
  readonly type?: string;
  readonly userTitle?: string;
  readonly userMsg?: string;
  readonly isTransient?: boolean;
}

/** A Meta-shaped failure raised inside a handler. */
export class GraphFault extends Error {
  readonly init: GraphFaultInit;

  constructor(init: GraphFaultInit) {
    super(`(#${init.code}) ${init.title}`);
    this.name = 'GraphFault';
    this.init = init;
  }

  get httpStatus(): number {
    return this.init.httpStatus ?? 400;
  }
}

/** A trace id of the form Meta uses (opaque base64url, 23 characters). */
export function fbtraceId(): string {
  return `A${randomBytes(17).toString('base64url').slice(0, 22)}`;
}

/** The reply body for a fault. */
export function faultEnvelope(fault: GraphFault): { error: Record<string, unknown> } {
  const f = fault.init;
  return {
    error: {
      message: fault.message,
      type: f.type ?? 'OAuthException',
      code: f.code,
      ...(f.subcode !== undefined && { error_subcode: f.subcode }),
      ...(f.details !== undefined && { error_data: { messaging_product: 'whatsapp', details: f.details } }),
      ...(f.isTransient !== undefined && { is_transient: f.isTransient }),
      ...(f.userTitle !== undefined && { error_user_title: f.userTitle }),
      ...(f.userMsg !== undefined && { error_user_msg: f.userMsg }),
      fbtrace_id: fbtraceId(),
    },
  };
}

/** Shorthands for the codes the emulator raises most. */
export const fault = {
  /** 100: invalid parameter (Graph's generic refusal). */
  invalid: (details: string, subcode?: number): GraphFault => new GraphFault({ code: 100, title: 'Invalid parameter', details, ...(subcode !== undefined && { subcode }) }),
  /** 131008: a required parameter is missing. */
  missing: (param: string): GraphFault => new GraphFault({ code: 131008, title: 'Required parameter is missing', details: `The parameter ${param} is required.` }),
  /** 131009: a parameter's value is not valid. */
  badValue: (details: string): GraphFault => new GraphFault({ code: 131009, title: 'Parameter value is not valid', details }),
  /** 100/33: no object with that id (Graph's "Unsupported get request"). */
  noObject: (method: string, id: string): GraphFault =>
    new GraphFault({ code: 100, subcode: 33, type: 'GraphMethodException', title: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.` }),
};
