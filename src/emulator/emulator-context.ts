/**
 * What every route handler of the emulator receives: the account state, the
 * resolved options, the clock, the rate limiters and the send hook.
 * @module
 */
import type { EmulatedFlow, EmulatorState, SentMessage } from './emulator-state.js';
import type { FlowStatus } from '../whatsapp/graph/flows-api.js';
import type { PairLimiter, ThroughputWindow } from './rate-limits.js';

/** Options after defaults. */
export interface ResolvedEmulatorOptions {
  readonly accessToken: string;
  readonly wabaId: string;
  /** Other WABAs of the same business (sources/destinations of `migrate_flows`). */
  readonly otherWabaIds: readonly string[];
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly mps: number;
  readonly pairIntervalMs: number;
  readonly pairBurst: number;
  /** `immediate`, a delay in ms, or `manual` (only `setTemplateStatus` decides). */
  readonly templateApproval: 'immediate' | 'manual' | number;
  /** `refuse`: uploads/edits to a published flow fail with 139001. `new-draft`: they put it back to DRAFT (newer Meta flows). */
  readonly publishedEdits: 'refuse' | 'new-draft';
  /** `response`: out-of-window free-form sends fail with 131047 at once. `status`: accepted, recorded with a failure for the status webhook. */
  readonly windowErrors: 'response' | 'status';
  readonly flowsWebhookSubscribed: boolean;
  readonly apiKeyHeader: string | undefined;
}

/** The handlers' view of one emulator. */
export interface EmulatorContext {
  readonly state: EmulatorState;
  readonly options: ResolvedEmulatorOptions;
  readonly now: () => number;
  /** The emulator's own base URL (for preview, asset and media links). */
  readonly baseUrl: () => string;
  readonly throughput: ThroughputWindow;
  readonly pair: PairLimiter;
  /** Tell subscribers about a recorded send. */
  readonly emit: (message: SentMessage) => void;
  /** Tell subscribers a flow changed status (`from` undefined: just created). */
  readonly flowStatusChanged: (flow: EmulatedFlow, from: FlowStatus | undefined) => void;
}

/** Move `flow` to `status` and report the change (no event when it stays the same). */
export function setFlowStatus(ctx: EmulatorContext, flow: EmulatedFlow, status: FlowStatus): void {
  const from = flow.status;
  if (from === status) return;
  flow.status = status;
  ctx.flowStatusChanged(flow, from);
}

/** A handler's reply (always JSON). */
export interface RouteReply {
  readonly status?: number;
  readonly body: unknown;
  readonly contentType?: string;
}

/** Meta's timestamp format: `2024-03-01T10:00:00+0000`. */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
