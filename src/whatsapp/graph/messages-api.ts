/**
 * Sending flows (spec §5; Meta, "Sending a Flow" and "Template messages"):
 * the interactive `flow` message inside the 24-hour customer-service window,
 * and a template with a FLOW button outside it. `POST /{PHONE_NUMBER_ID}/messages`
 * with a JSON body; the reply carries the `wamid` that status webhooks and
 * the completion's `context.id` refer to.
 * @module
 */
import { z } from 'zod';
import { readReply, requireId, type GraphContext } from './graph-transport.js';

/** How the flow opens: on a screen with data (navigate), or by asking the endpoint (data_exchange). */
export type FlowOpenAction =
  | { readonly type: 'navigate'; readonly screen?: string; readonly data?: Readonly<Record<string, unknown>> }
  | { readonly type: 'data_exchange' };

/** Arguments of `sendFlowMessage`. */
export interface FlowMessageInput {
  readonly to: string;
  /** The flow's id, or (Cloud API only) its name; never both. */
  readonly flow: { readonly id: string } | { readonly name: string };
  /** Button text: keep ≤20 characters, no emoji (spec §5.1). */
  readonly cta: string;
  readonly body: string;
  readonly header?: string;
  readonly footer?: string;
  /** Default `"unused"` at Meta; Flowbridge always sets its own. */
  readonly flowToken?: string;
  /** `draft` sends the current draft, for testing. */
  readonly mode?: 'published' | 'draft';
  readonly action?: FlowOpenAction;
  /** Answer this inbound message (Cloud API `context.message_id`): the flow shows as a reply to it. */
  readonly replyTo?: string;
}

/** Arguments of `sendTemplateMessage`. */
export interface TemplateMessageInput {
  readonly to: string;
  readonly name: string;
  readonly language: string;
  /** Text parameters of the body's placeholders: strings for positional `{{1}}`…, `{ name, text }` for NAMED templates (`parameter_name`). */
  readonly bodyParameters?: readonly (string | { readonly name?: string; readonly text: string })[];
  /** The FLOW button to fill (index of the button in the template, default 0). */
  readonly flowButton?: { readonly index?: number; readonly flowToken?: string; readonly flowActionData?: Readonly<Record<string, unknown>> };
  /** Answer this inbound message (Cloud API `context.message_id`). */
  readonly replyTo?: string;
}

/** A send Meta accepted. */
export interface SendResult {
  readonly wamid: string;
  /** The recipient's WhatsApp id as Meta resolved it. */
  readonly waId: string;
  readonly input: string;
  /** `accepted` (or `held_for_quality_assessment`) for templates; absent otherwise. */
  readonly messageStatus?: string;
}

const sendReply = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string() })).min(1),
  messages: z.array(z.looseObject({ id: z.string(), message_status: z.string().optional() })).min(1),
});

/** The `interactive` object of a flow message (exported for tests and the emulator's phones). */
export function flowInteractive(input: FlowMessageInput): Record<string, unknown> {
  const action = input.action ?? { type: 'navigate' };
  const parameters: Record<string, unknown> = {
    flow_message_version: '3',
    ...('id' in input.flow ? { flow_id: input.flow.id } : { flow_name: input.flow.name }),
    flow_cta: input.cta,
    ...(input.flowToken !== undefined && { flow_token: input.flowToken }),
    ...(input.mode !== undefined && { mode: input.mode }),
    flow_action: action.type,
  };
  if (action.type === 'navigate' && (action.screen !== undefined || action.data !== undefined)) {
    parameters.flow_action_payload = { ...(action.screen !== undefined && { screen: action.screen }), ...(action.data !== undefined && { data: action.data }) };
  }
  return {
    type: 'flow',
    ...(input.header !== undefined && { header: { type: 'text', text: input.header } }),
    body: { text: input.body },
    ...(input.footer !== undefined && { footer: { text: input.footer } }),
    action: { name: 'flow', parameters },
  };
}

/** The `template` object of a template message with a FLOW button. */
export function flowTemplate(input: TemplateMessageInput): Record<string, unknown> {
  const components: unknown[] = [];
  if (input.bodyParameters && input.bodyParameters.length > 0) {
    const parameters = input.bodyParameters.map((p) => (typeof p === 'string'
      ? { type: 'text', text: p }
      : { type: 'text', ...(p.name !== undefined && { parameter_name: p.name }), text: p.text }));
    components.push({ type: 'body', parameters });
  }
  if (input.flowButton) {
    const action = {
      ...(input.flowButton.flowToken !== undefined && { flow_token: input.flowButton.flowToken }),
      ...(input.flowButton.flowActionData !== undefined && { flow_action_data: input.flowButton.flowActionData }),
    };
    components.push({ type: 'button', sub_type: 'flow', index: String(input.flowButton.index ?? 0), parameters: [{ type: 'action', action }] });
  }
  return { name: input.name, language: { code: input.language }, ...(components.length > 0 && { components }) };
}

/** `context` of a reply (spec §5: `{ context: { message_id } }`), or nothing. */
function replyContext(replyTo: string | undefined): Record<string, unknown> {
  return replyTo === undefined ? {} : { context: { message_id: replyTo } };
}

/** Build the message calls over a context. */
export function messagesApi(ctx: GraphContext) {
  const send = async (message: Record<string, unknown>, what: string): Promise<SendResult> => {
    const path = ctx.transport.phonePath(requireId(ctx.phoneNumberId, 'phoneNumberId'), 'messages');
    const reply = readReply(sendReply, await ctx.transport.call({ method: 'POST', path, body: { json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...message } } }), what);
    const contact = reply.contacts[0]!;
    const msg = reply.messages[0]!;
    return { wamid: msg.id, waId: contact.wa_id, input: contact.input, ...(msg.message_status !== undefined && { messageStatus: msg.message_status }) };
  };
  return {
    /** Interactive flow message; needs an open service window (else 131047). */
    sendFlowMessage: (input: FlowMessageInput) => send({ to: input.to, ...replyContext(input.replyTo), type: 'interactive', interactive: flowInteractive(input) }, 'send flow message'),
    /** Template message (business-initiated); the template must be APPROVED. */
    sendTemplateMessage: (input: TemplateMessageInput) => send({ to: input.to, ...replyContext(input.replyTo), type: 'template', template: flowTemplate(input) }, 'send template message'),
    /** Plain text (service window only): used for replies and tests. */
    sendText: (to: string, text: string) => send({ to, type: 'text', text: { body: text } }, 'send text message'),
  };
}
