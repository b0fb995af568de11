/**
 * The one way a flow is sent to one person, whoever asks (CLI `send`,
 * `POST /api/sends`, an inbound keyword, a click-to-WhatsApp ad, a
 * broadcast): issue a session (a fresh flow_token bound to flow, contact and
 * entry point), send the interactive flow message inside the 24-hour window
 * or the flow's FLOW-button template outside it, and record the send with
 * its wamid so statuses, opens and completions can be correlated.
 *
 * Contract only; the implementation is `createFlowSender` in
 * `flow-sender-impl.ts` (issue 7). Consumers depend on this interface.
 * @module
 */
import type { GraphError } from '../whatsapp/graph/graph-error.js';

/** Why the flow was sent: stored on the session (`entry_point`) and on the send record. */
export type EntryKind = 'agent' | 'api' | 'cli' | 'broadcast' | 'keyword' | 'ad' | 'sandbox';

/** One send request. */
export interface SendFlowInput {
  /** Catalogue flow id. */
  readonly flowId: string;
  /** Recipient: E.164 with or without `+`, or a WhatsApp id (digits). */
  readonly to: string;
  readonly entry: EntryKind;
  /** Campaign / broadcast id, stored on the session. */
  readonly campaign?: string;
  /** `auto` (default) picks interactive inside the 24-hour window, template outside it. */
  readonly mode?: 'auto' | 'interactive' | 'template';
  /** Click-to-WhatsApp attribution (ad id `referral.source_id`, `ctwa_clid`). */
  readonly attribution?: { readonly adId?: string; readonly ctwaClid?: string; readonly sourceUrl?: string };
  /** Reply to this inbound message (context.message_id), e.g. the keyword message. */
  readonly replyTo?: string;
  /** A template other than the flow's own (`message.template` of the project file), for template sends. */
  readonly template?: { readonly name: string; readonly language?: string };
  /** Idempotency: the same key never sends twice (broadcast recipient id, API Idempotency-Key header). */
  readonly idempotencyKey?: string;
  /**
   * Values of the template body's placeholders, sent as the `body` component
   * before the FLOW button: in order for positional `{{1}}`, `{{2}}`…; with
   * `name` for a template with `parameter_format: NAMED` (`{{first_name}}`).
   * Template sends only: an interactive flow message has no template
   * variables, so an interactive send (in the window, or `mode: interactive`)
   * ignores them; an auto send that falls back to the template (131047)
   * carries them. Not part of the idempotency check: a repeated key returns
   * the earlier send whatever its parameters were.
   */
  readonly bodyParameters?: readonly TemplateBodyParameter[];
}

/** One body parameter of a template send (Cloud API `{ type: "text", text, parameter_name? }`). */
export interface TemplateBodyParameter {
  readonly text: string;
  /** The placeholder's name for a NAMED template; absent for positional ones. */
  readonly name?: string;
}

/** What a send came to. */
export type SendFlowResult =
  | {
      readonly ok: true;
      readonly sendId: string;
      readonly flowToken: string;
      readonly wamid: string;
      readonly waId: string;
      readonly kind: 'interactive' | 'template';
      /** True when an earlier send with the same idempotency key is returned instead of sending again. */
      readonly repeated: boolean;
    }
  | {
      readonly ok: false;
      /** Machine-readable: `unknown_flow`, `not_published`, `no_template`, `bad_phone`, `graph_error`, … */
      readonly code: string;
      /** What happened and how to fix it, for people. */
      readonly message: string;
      /** Present when Meta refused: retry hints (130429, 131056 …) live on it. */
      readonly graphError?: GraphError;
    };

/** Sends flows; see the module comment. */
export interface FlowSender {
  send(input: SendFlowInput): Promise<SendFlowResult>;
}
