/**
 * Message templates with a FLOW button (spec §5.2; Meta, "Flows in
 * templates"): create under the WABA and read the approval status. A FLOW
 * button names its flow by exactly one of `flow_id`, `flow_name` or
 * `flow_json`; `navigate_screen` (not the docs' typo `nagivate_screen`).
 * @module
 */
import { z } from 'zod';
import { readReply, requireId, type GraphContext } from './graph-transport.js';

/** A FLOW button of a template. */
export interface FlowButtonSpec {
  readonly text: string;
  readonly flow: { readonly id: string } | { readonly name: string } | { readonly json: string };
  readonly action?: 'navigate' | 'data_exchange';
  /** Navigate only; default: the flow's first entry screen. */
  readonly navigateScreen?: string;
  readonly icon?: 'DOCUMENT' | 'PROMOTION' | 'REVIEW';
}

/** Arguments of `createTemplate`. */
export interface CreateTemplateInput {
  readonly name: string;
  readonly language: string;
  readonly category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  readonly body: string;
  readonly header?: string;
  readonly footer?: string;
  readonly flowButton: FlowButtonSpec;
}

/** Template approval states. */
export type TemplateStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'PAUSED' | 'DISABLED' | (string & {});

const templateObject = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  language: z.string().optional(),
  status: z.string(),
  category: z.string().optional(),
  rejected_reason: z.string().optional(),
  components: z.array(z.unknown()).optional(),
  /** `POSITIONAL` or `NAMED` (body placeholders `{{1}}` or `{{first_name}}`). */
  parameter_format: z.string().optional(),
});

/** A template as read back. */
export type GraphTemplate = z.output<typeof templateObject>;

/** The `components` array of a template with a FLOW button (exported for the emulator's tests). */
export function templateComponents(input: CreateTemplateInput): unknown[] {
  const b = input.flowButton;
  const flowRef = 'id' in b.flow ? { flow_id: b.flow.id } : 'name' in b.flow ? { flow_name: b.flow.name } : { flow_json: b.flow.json };
  const button = {
    type: 'FLOW',
    text: b.text,
    ...flowRef,
    flow_action: b.action ?? 'navigate',
    ...(b.navigateScreen !== undefined && { navigate_screen: b.navigateScreen }),
    ...(b.icon !== undefined && { icon: b.icon }),
  };
  return [
    ...(input.header !== undefined ? [{ type: 'HEADER', format: 'TEXT', text: input.header }] : []),
    { type: 'BODY', text: input.body },
    ...(input.footer !== undefined ? [{ type: 'FOOTER', text: input.footer }] : []),
    { type: 'BUTTONS', buttons: [button] },
  ];
}

/** Build the template calls over a context. */
export function templatesApi(ctx: GraphContext) {
  const t = ctx.transport;
  return {
    /** `POST /{WABA_ID}/message_templates` → id, status (usually PENDING), category. */
    async createTemplate(input: CreateTemplateInput): Promise<{ id: string; status: TemplateStatus; category: string }> {
      const json = { name: input.name, language: input.language, category: input.category, components: templateComponents(input) };
      const reply = readReply(z.looseObject({ id: z.string(), status: z.string(), category: z.string() }), await t.call({ method: 'POST', path: `${requireId(ctx.wabaId, 'wabaId')}/message_templates`, body: { json } }), 'create template');
      return { id: reply.id, status: reply.status, category: reply.category };
    },
    /** `GET /{TEMPLATE_ID}`: status and, when rejected, the reason. */
    async getTemplate(templateId: string): Promise<GraphTemplate> {
      return readReply(templateObject, await t.call({ method: 'GET', path: templateId, query: { fields: 'id,name,language,status,category,rejected_reason,components' } }), 'get template');
    },
    /** `GET /{WABA_ID}/message_templates?name=…`: templates of that name (all languages). */
    async findTemplates(name: string): Promise<GraphTemplate[]> {
      const reply = readReply(z.looseObject({ data: z.array(templateObject) }), await t.call({ method: 'GET', path: `${requireId(ctx.wabaId, 'wabaId')}/message_templates`, query: { name } }), 'list templates');
      return reply.data;
    },
  };
}
