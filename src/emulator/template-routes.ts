/**
 * Message templates with FLOW buttons (spec §5.2; Meta, "Flows in
 * templates"): creation checks (name format, category, body, button text
 * ≤25, exactly one flow reference, referenced flow published, body
 * placeholders by `parameter_format` — see `template-params.ts`), approval
 * after a configurable delay, and reads.
 * @module
 */
import { isObject } from '../core/flow/json.js';
import type { EmulatorContext, RouteReply } from './emulator-context.js';
import { nextObjectId, type EmulatedTemplate, type EmulatedTemplateStatus } from './emulator-state.js';
import type { EmulatorRequest } from './emulator-request.js';
import { saveFlowJson, publishFlow } from './flow-lifecycle.js';
import { newFlow } from './flow-routes.js';
import { fault } from './graph-fault.js';
import { readBodyParams, type TemplateBodyParams } from './template-params.js';

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** The template's status now, applying the approval policy. */
export function templateStatus(ctx: EmulatorContext, t: EmulatedTemplate): EmulatedTemplateStatus {
  if (t.status !== undefined) return t.status;
  const policy = ctx.options.templateApproval;
  if (policy === 'immediate') return 'APPROVED';
  if (policy === 'manual') return 'PENDING';
  return ctx.now() - t.createdAt >= policy ? 'APPROVED' : 'PENDING';
}

function resolveFlowButton(ctx: EmulatorContext, wabaId: string, templateName: string, button: Record<string, unknown>): string {
  const text = button.text;
  if (typeof text !== 'string' || text.length === 0 || text.length > 25) throw fault.invalid('A FLOW button needs a text of 1 to 25 characters.');
  const refs = ['flow_id', 'flow_name', 'flow_json'].filter((k) => button[k] !== undefined);
  if (refs.length !== 1) throw fault.invalid('A FLOW button needs exactly one of flow_id, flow_name and flow_json.');
  const action = button.flow_action ?? 'navigate';
  if (action !== 'navigate' && action !== 'data_exchange') throw fault.invalid('flow_action must be navigate or data_exchange.');
  if (button.navigate_screen !== undefined && (action !== 'navigate' || typeof button.navigate_screen !== 'string')) throw fault.invalid('navigate_screen is only allowed (as a string) with flow_action navigate.');
  if (button.icon !== undefined && (typeof button.icon !== 'string' || !['DOCUMENT', 'PROMOTION', 'REVIEW'].includes(button.icon))) throw fault.invalid('icon must be DOCUMENT, PROMOTION or REVIEW.');
  if (typeof button.flow_json === 'string') {
    let n = 1;
    while ([...ctx.state.flows.values()].some((f) => f.wabaId === wabaId && f.name === `${templateName}_flow_${n}`)) n++;
    const flow = newFlow(ctx, wabaId, `${templateName}_flow_${n}`, ['OTHER']);
    saveFlowJson(ctx, flow, button.flow_json);
    if (flow.validationErrors.length > 0) {
      ctx.state.flows.delete(flow.id);
      throw fault.invalid(`flow_json has ${flow.validationErrors.length} validation error(s): ${flow.validationErrors[0]?.message ?? ''}`);
    }
    publishFlow(ctx, flow);
    return flow.id;
  }
  const flow = typeof button.flow_id === 'string' ? ctx.state.flows.get(button.flow_id) : [...ctx.state.flows.values()].find((f) => f.wabaId === wabaId && f.name === button.flow_name);
  const label = String(button.flow_id ?? button.flow_name);
  if (flow === undefined || flow.wabaId !== wabaId) throw fault.invalid(`The flow ${label} does not exist in this WhatsApp Business Account.`);
  if (flow.publishedJson === undefined || flow.status === 'DEPRECATED') throw fault.invalid(`The flow ${label} is ${flow.status}; a template can only use a published flow.`);
  return flow.id;
}

/** `POST /{WABA_ID}/message_templates`. */
export function createTemplateRoute(ctx: EmulatorContext, req: EmulatorRequest, wabaId: string): RouteReply {
  const { name, language, category } = req.fields;
  let components = req.fields.components;
  if (typeof components === 'string') components = (() => { try { return JSON.parse(components) as unknown; } catch { return undefined; } })();
  if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) throw fault.invalid('name must be 1–512 lowercase letters, digits and underscores.');
  if (typeof language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(language)) throw fault.invalid('language must be a language code such as en_US.');
  if (typeof category !== 'string' || !CATEGORIES.includes(category)) throw fault.invalid(`category must be one of ${CATEGORIES.join(', ')}.`);
  if (!Array.isArray(components)) throw fault.invalid('components must be an array.');
  if ([...ctx.state.templates.values()].some((t) => t.wabaId === wabaId && t.name === name && t.language === language)) {
    throw fault.invalid('Content in this language already exists for this template name.', 2388024);
  }
  let body: TemplateBodyParams | undefined;
  const flowButtons = new Map<number, string>();
  for (const c of components) {
    if (!isObject(c) || typeof c.type !== 'string') throw fault.invalid('Each component needs a type.');
    const type = c.type.toUpperCase();
    if (type === 'BODY') {
      if (typeof c.text !== 'string' || c.text.length === 0 || c.text.length > 1024) throw fault.invalid('The BODY component needs a text of 1 to 1024 characters.');
      body = readBodyParams(c.text, req.fields.parameter_format);
    } else if (type === 'BUTTONS') {
      if (!Array.isArray(c.buttons) || c.buttons.length === 0) throw fault.invalid('The BUTTONS component needs buttons.');
      c.buttons.forEach((b, i) => {
        if (!isObject(b)) throw fault.invalid('Each button must be an object.');
        if (String(b.type).toUpperCase() === 'FLOW') flowButtons.set(i, resolveFlowButton(ctx, wabaId, name, b));
      });
    } else if (type !== 'HEADER' && type !== 'FOOTER') throw fault.invalid(`Unknown component type ${c.type}.`);
  }
  if (body === undefined) throw fault.invalid('A template needs a BODY component.');
  const template: EmulatedTemplate = { id: nextObjectId(ctx.state), wabaId, name, language, category, components, flowButtons, body, createdAt: ctx.now(), status: undefined, rejectedReason: undefined };
  ctx.state.templates.set(template.id, template);
  return { body: { id: template.id, status: templateStatus(ctx, template), category } };
}

function templateObject(ctx: EmulatorContext, t: EmulatedTemplate): Record<string, unknown> {
  const status = templateStatus(ctx, t);
  return { id: t.id, name: t.name, language: t.language, status, category: t.category, parameter_format: t.body.format, components: t.components, ...(status === 'REJECTED' && { rejected_reason: t.rejectedReason ?? 'INVALID_FORMAT' }) };
}

/** `GET /{TEMPLATE_ID}`. */
export function getTemplateRoute(ctx: EmulatorContext, t: EmulatedTemplate): RouteReply {
  return { body: templateObject(ctx, t) };
}

/** `GET /{WABA_ID}/message_templates[?name=…]`. */
export function listTemplatesRoute(ctx: EmulatorContext, req: EmulatorRequest, wabaId: string): RouteReply {
  const name = req.query.get('name');
  const data = [...ctx.state.templates.values()].filter((t) => t.wabaId === wabaId && (name === null || t.name === name)).map((t) => templateObject(ctx, t));
  return { body: { data, paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } } };
}
