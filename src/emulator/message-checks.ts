/**
 * Checks of a send request's content (spec §5.1 parameter table, §5.2; Meta,
 * "Sending a Flow", "Interactive messages", "Template messages"): required
 * parameters (131008), values (131009), flow state (132068 blocked, 132069
 * throttled), templates (132001, 132015, 132016; body parameters 132000,
 * 132012 and text rules in `template-params.ts`). Returns what the
 * virtual phone needs to open the flow.
 * @module
 */
import { isObject, type JsonObject } from '../core/flow/json.js';
import type { EmulatorContext } from './emulator-context.js';
import type { EmulatedFlow, SentFlow } from './emulator-state.js';
import { GraphFault, fault } from './graph-fault.js';
import { templateStatus } from './template-routes.js';
import { checkBodyParams } from './template-params.js';

function flowStateFault(flow: EmulatedFlow): GraphFault | undefined {
  if (flow.status === 'BLOCKED') return new GraphFault({ code: 132068, title: 'Flow is in blocked state', details: `Flow ${flow.id} is blocked.` });
  if (flow.status === 'THROTTLED') return new GraphFault({ code: 132069, title: 'Flow is in throttled state', details: `Flow ${flow.id} is throttled: 10 messages were already sent in the last hour.` });
  if (flow.status === 'DEPRECATED') return fault.badValue(`Flow ${flow.id} is deprecated and can no longer be sent.`);
  return undefined;
}

/** Screens a navigate action leads to, found anywhere in the document. */
function navigateTargets(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) navigateTargets(v, out);
  else if (isObject(value)) {
    if (value.name === 'navigate' && isObject(value.next) && typeof value.next.name === 'string') out.add(value.next.name);
    for (const v of Object.values(value)) navigateTargets(v, out);
  }
}

/** Entry screens: screens no routing_model edge and no navigate action leads to. */
function entryScreens(json: string): { all: Set<string>; entries: Set<string> } {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw fault.badValue('The flow\'s Flow JSON is not valid JSON; fix its validation errors first.');
  }
  const all = new Set<string>();
  const targets = new Set<string>();
  if (isObject(doc) && Array.isArray(doc.screens)) for (const s of doc.screens) if (isObject(s) && typeof s.id === 'string') all.add(s.id);
  if (isObject(doc) && isObject(doc.routing_model)) for (const list of Object.values(doc.routing_model)) if (Array.isArray(list)) for (const t of list) if (typeof t === 'string') targets.add(t);
  if (isObject(doc)) navigateTargets(doc.screens, targets);
  return { all, entries: new Set([...all].filter((s) => !targets.has(s))) };
}

function text(obj: JsonObject | undefined, key: string, max: number, where: string, required: boolean): string | undefined {
  const v = obj?.[key];
  if (v === undefined) {
    if (required) throw fault.missing(where);
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw fault.badValue(`${where} must be a string of 1 to ${max} characters.`);
  return v;
}

/** Check an `interactive` flow message; returns the flow part of the record. */
export function checkInteractiveFlow(ctx: EmulatorContext, interactive: unknown): SentFlow {
  if (!isObject(interactive)) throw fault.missing('interactive');
  if (interactive.type !== 'flow') throw fault.badValue('The emulator sends interactive messages of type "flow" only.');
  const body = isObject(interactive.body) ? interactive.body : undefined;
  if (body === undefined) throw fault.missing('interactive.body');
  text(body, 'text', 1024, 'interactive.body.text', true);
  if (interactive.header !== undefined) {
    const h = isObject(interactive.header) ? interactive.header : undefined;
    if (h?.type !== 'text') throw fault.badValue('interactive.header.type must be "text" for flow messages.');
    text(h, 'text', 60, 'interactive.header.text', true);
  }
  if (interactive.footer !== undefined) text(isObject(interactive.footer) ? interactive.footer : undefined, 'text', 60, 'interactive.footer.text', true);
  const action = isObject(interactive.action) ? interactive.action : undefined;
  if (action === undefined) throw fault.missing('interactive.action');
  if (action.name !== 'flow') throw fault.badValue('interactive.action.name must be "flow".');
  const p = isObject(action.parameters) ? action.parameters : undefined;
  if (p === undefined) throw fault.missing('interactive.action.parameters');
  if (p.flow_message_version !== '3') throw fault.badValue('flow_message_version must be "3".');
  if (p.flow_id !== undefined && p.flow_name !== undefined) throw fault.badValue('Specify flow_id or flow_name, not both.');
  if (p.flow_id === undefined && p.flow_name === undefined) throw fault.missing('flow_id');
  const cta = text(p, 'flow_cta', 30, 'flow_cta', true);
  const token = p.flow_token === undefined ? 'unused' : p.flow_token;
  if (typeof token !== 'string' || token.length === 0) throw fault.badValue('flow_token must be a non-empty string.');
  const mode = p.mode ?? 'published';
  if (mode !== 'published' && mode !== 'draft') throw fault.badValue('mode must be "published" or "draft".');
  const flowAction = p.flow_action ?? 'navigate';
  if (flowAction !== 'navigate' && flowAction !== 'data_exchange') throw fault.badValue('flow_action must be "navigate" or "data_exchange".');
  const flow = typeof p.flow_id === 'string' ? ctx.state.flows.get(p.flow_id) : [...ctx.state.flows.values()].find((f) => f.wabaId === ctx.options.wabaId && f.name === p.flow_name);
  if (flow === undefined) throw fault.badValue(`Flow ${String(p.flow_id ?? p.flow_name)} does not exist.`);
  const stateFault = flowStateFault(flow);
  if (stateFault) throw stateFault;
  const json = mode === 'draft' ? flow.json : flow.publishedJson;
  if (mode === 'draft' && flow.status !== 'DRAFT') throw fault.badValue(`Flow ${flow.id} is ${flow.status}; mode "draft" sends drafts only.`);
  if (json === undefined) throw fault.badValue(mode === 'draft' ? `Flow ${flow.id} has no Flow JSON.` : `Flow ${flow.id} is in DRAFT and was never published; send it with mode "draft".`);
  let screen: string | undefined;
  let data: Record<string, unknown> | undefined;
  if (p.flow_action_payload !== undefined) {
    if (flowAction !== 'navigate') throw fault.badValue('flow_action_payload is only allowed with flow_action "navigate".');
    const payload = isObject(p.flow_action_payload) ? p.flow_action_payload : undefined;
    if (payload === undefined) throw fault.badValue('flow_action_payload must be an object.');
    if (payload.screen !== undefined) {
      if (typeof payload.screen !== 'string') throw fault.badValue('flow_action_payload.screen must be a string.');
      const screens = entryScreens(json);
      if (!screens.all.has(payload.screen)) throw fault.badValue(`Screen ${payload.screen} does not exist in the flow.`);
      if (!screens.entries.has(payload.screen)) throw fault.badValue(`Screen ${payload.screen} is not an entry screen of the flow.`);
      screen = payload.screen;
    }
    if (payload.data !== undefined) {
      if (!isObject(payload.data) || Object.keys(payload.data).length === 0) throw fault.badValue('flow_action_payload.data must be a non-empty object.');
      data = payload.data;
    }
  }
  return { flowId: flow.id, flowJson: json, flowToken: token, mode, action: flowAction, screen, data, cta };
}

/** Check a `template` message; returns the template's identity and, when it has a FLOW button, the flow part. */
export function checkTemplate(ctx: EmulatorContext, template: unknown): { name: string; language: string; flow: SentFlow | undefined } {
  if (!isObject(template)) throw fault.missing('template');
  const name = template.name;
  const language = isObject(template.language) ? template.language.code : undefined;
  if (typeof name !== 'string') throw fault.missing('template.name');
  if (typeof language !== 'string') throw fault.missing('template.language.code');
  const t = [...ctx.state.templates.values()].find((x) => x.wabaId === ctx.options.wabaId && x.name === name && x.language === language);
  const status = t && templateStatus(ctx, t);
  if (t === undefined || status === 'PENDING' || status === 'REJECTED') {
    throw new GraphFault({ code: 132001, title: 'Template name does not exist in the translation', details: `template name (${name}) does not exist in ${language}${t ? ` (status ${status})` : ''}` });
  }
  if (status === 'PAUSED') throw new GraphFault({ code: 132015, title: 'Template is Paused', details: `Template ${name} is paused.` });
  if (status === 'DISABLED') throw new GraphFault({ code: 132016, title: 'Template is Disabled', details: `Template ${name} is disabled.` });
  const components = template.components === undefined ? [] : template.components;
  if (!Array.isArray(components)) throw fault.badValue('template.components must be an array.');
  let bodyParameters: unknown;
  let flow: SentFlow | undefined;
  for (const c of components) {
    if (!isObject(c)) throw fault.badValue('Each template component must be an object.');
    if (c.type === 'body') bodyParameters = c.parameters ?? [];
    if (c.type === 'button' && c.sub_type === 'flow') {
      const index = typeof c.index === 'string' || typeof c.index === 'number' ? Number(c.index) : NaN;
      const flowId = t.flowButtons.get(index);
      if (flowId === undefined) throw fault.badValue(`Button ${String(c.index)} of template ${name} is not a FLOW button.`);
      const param: unknown = Array.isArray(c.parameters) ? (c.parameters as unknown[])[0] : undefined;
      const action = isObject(param) && param.type === 'action' && isObject(param.action) ? param.action : undefined;
      if (action === undefined) throw fault.badValue('A flow button component needs parameters [{ type: "action", action: {...} }].');
      if (action.flow_token !== undefined && (typeof action.flow_token !== 'string' || action.flow_token === '')) throw fault.badValue('flow_token must be a non-empty string.');
      if (action.flow_action_data !== undefined && !isObject(action.flow_action_data)) throw fault.badValue('flow_action_data must be an object.');
      const f = ctx.state.flows.get(flowId);
      if (f === undefined) throw fault.badValue(`The template's flow ${flowId} no longer exists.`);
      const stateFault = flowStateFault(f);
      if (stateFault) throw stateFault;
      const button = findButton(t.components, index);
      flow = {
        flowId, flowJson: f.publishedJson, flowToken: typeof action.flow_token === 'string' ? action.flow_token : 'unused', mode: 'published',
        action: button?.flow_action === 'data_exchange' ? 'data_exchange' : 'navigate',
        screen: typeof button?.navigate_screen === 'string' ? button.navigate_screen : undefined,
        data: isObject(action.flow_action_data) ? action.flow_action_data : undefined,
        cta: typeof button?.text === 'string' ? button.text : undefined,
      };
    }
  }
  checkBodyParams({ name, body: t.body }, bodyParameters);
  return { name, language, flow };
}

function findButton(components: readonly unknown[], index: number): JsonObject | undefined {
  for (const c of components) if (isObject(c) && String(c.type).toUpperCase() === 'BUTTONS' && Array.isArray(c.buttons)) {
    const b: unknown = c.buttons[index];
    return isObject(b) ? b : undefined;
  }
  return undefined;
}
