/**
 * What the emulated Meta account holds: flows, templates, sent messages,
 * the conversation windows, the registered business key and media. One
 * plain object per emulator, mutated only by the route handlers and the
 * emulator's test hooks.
 * @module
 */
import type { FlowValidationError } from '../whatsapp/graph/flow-validation-errors.js';
import type { FlowStatus } from '../whatsapp/graph/flows-api.js';
import type { TemplateBodyParams } from './template-params.js';

/** A flow object (spec §7.2). */
export interface EmulatedFlow {
  readonly id: string;
  wabaId: string;
  name: string;
  categories: string[];
  status: FlowStatus;
  endpointUri: string | undefined;
  applicationId: string | undefined;
  /** Current (draft or published) Flow JSON text. */
  json: string | undefined;
  validationErrors: FlowValidationError[];
  jsonVersion: string | undefined;
  dataApiVersion: string | undefined;
  /** The JSON a `mode: published` send delivers (kept when a published flow is edited back to draft). */
  publishedJson: string | undefined;
  updatedAt: number;
  previewToken: string;
  previewExpiresAt: number;
}

/** A flow's status change: what the `flows` webhook field reports as FLOW_STATUS_CHANGE (spec §6.5). */
export interface FlowStatusEvent {
  readonly flowId: string;
  readonly wabaId: string;
  /** Absent when the flow was just created. */
  readonly oldStatus: FlowStatus | undefined;
  readonly newStatus: FlowStatus;
  readonly at: number;
}

/** Template approval states the emulator models. */
export type EmulatedTemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED';

/** A message template (spec §5.2). */
export interface EmulatedTemplate {
  readonly id: string;
  readonly wabaId: string;
  readonly name: string;
  readonly language: string;
  readonly category: string;
  readonly components: unknown[];
  /** Flow ids of the FLOW buttons, by button index. */
  readonly flowButtons: ReadonlyMap<number, string>;
  /** The body's `parameter_format` and placeholders (`template-params.ts`). */
  readonly body: TemplateBodyParams;
  readonly createdAt: number;
  /** Set by a test or by the approval delay; undefined = decided by the approval policy. */
  status: EmulatedTemplateStatus | undefined;
  rejectedReason: string | undefined;
}

/** The flow part of an accepted send: what a virtual phone needs to open it. */
export interface SentFlow {
  readonly flowId: string;
  /** The Flow JSON the message carries (the version at send time). */
  readonly flowJson: string | undefined;
  readonly flowToken: string;
  readonly mode: 'published' | 'draft';
  readonly action: 'navigate' | 'data_exchange';
  readonly screen: string | undefined;
  readonly data: Record<string, unknown> | undefined;
  readonly cta: string | undefined;
}

/** One message the emulator accepted (or, in `status` window mode, will report as failed). */
export interface SentMessage {
  readonly wamid: string;
  readonly phoneNumberId: string;
  readonly to: string;
  readonly waId: string;
  readonly type: 'interactive' | 'template' | 'text';
  /** The request body as sent. */
  readonly request: Readonly<Record<string, unknown>>;
  readonly at: number;
  readonly flow: SentFlow | undefined;
  readonly template: { readonly name: string; readonly language: string } | undefined;
  /** Set when Meta would accept the send but fail delivery (status webhook `failed` with this error). */
  readonly failure: { readonly code: number; readonly title: string; readonly details: string } | undefined;
}

/** A stored media object (spec §3). */
export interface EmulatedMedia {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly mimeType: string;
  readonly sha256: string;
}

/** The whole account. */
export interface EmulatorState {
  readonly flows: Map<string, EmulatedFlow>;
  readonly templates: Map<string, EmulatedTemplate>;
  readonly messages: SentMessage[];
  /** wa_id → time of the user's last inbound message (opens the 24-hour window). */
  readonly lastInbound: Map<string, number>;
  readonly media: Map<string, EmulatedMedia>;
  /** Encrypted picker uploads on the emulated CDN (spec §3.1 `cdn_url`), by file key; served without auth. */
  readonly cdn: Map<string, Uint8Array>;
  businessKey: { pem: string; signatureStatus: 'VALID' | 'MISMATCH' } | undefined;
  nextId: number;
}

/** An empty account. */
export function createEmulatorState(): EmulatorState {
  return { flows: new Map(), templates: new Map(), messages: [], lastInbound: new Map(), media: new Map(), cdn: new Map(), businessKey: undefined, nextId: 1 };
}

/** A fresh numeric object id (Graph ids are digit strings). */
export function nextObjectId(state: EmulatorState): string {
  return String(1_000_000_000_000_000 + state.nextId++ * 7919);
}
