/**
 * `GET /{FLOW_ID}?fields=…` (spec §7.1–§7.2): the flow object with only the
 * fields asked for, `preview.invalidate(bool)`, `health_status` and the
 * metric field (which, without traffic, is Meta's 139006).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { EmulatedFlow } from './emulator-state.js';
import { metaTime, type EmulatorContext } from './emulator-context.js';
import { GraphFault } from './graph-fault.js';

/** Fields a flow read returns when none are named (Graph's defaults for the node). */
const DEFAULT_FIELDS = ['id', 'name', 'status', 'categories', 'validation_errors'];

/** Split `a,b.c(x,y),d` at top-level commas. */
export function splitFields(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out.filter((f) => f !== '');
}

function preview(ctx: EmulatorContext, flow: EmulatedFlow, invalidate: boolean): Record<string, string> {
  if (invalidate || flow.previewExpiresAt <= ctx.now()) {
    flow.previewToken = randomBytes(12).toString('base64url');
    flow.previewExpiresAt = ctx.now() + 30 * 24 * 3600 * 1000;
  }
  return { preview_url: `${ctx.baseUrl()}/_emulator/flows/${flow.id}/preview?token=${flow.previewToken}`, expires_at: metaTime(flow.previewExpiresAt) };
}

function health(ctx: EmulatorContext, flow: EmulatedFlow): Record<string, unknown> {
  const flowState = flow.status === 'BLOCKED' || flow.status === 'DEPRECATED' ? 'BLOCKED' : flow.status === 'THROTTLED' ? 'LIMITED' : 'AVAILABLE';
  const entities = [
    { entity_type: 'FLOW', id: flow.id, can_send_message: flowState },
    { entity_type: 'WABA', id: flow.wabaId, can_send_message: 'AVAILABLE' },
    { entity_type: 'BUSINESS', id: `${flow.wabaId}0`, can_send_message: 'AVAILABLE' },
    { entity_type: 'APP', id: flow.applicationId ?? '1', can_send_message: 'AVAILABLE' },
    { entity_type: 'PHONE_NUMBER', id: ctx.options.phoneNumberId, can_send_message: 'AVAILABLE' },
  ];
  return { can_send_message: flowState, entities };
}

/** One field's value; undefined for fields the flow does not have (omitted, like Graph). */
function fieldValue(ctx: EmulatorContext, flow: EmulatedFlow, field: string): unknown {
  const m = /^([a-z_]+)(?:\.(.*))?$/.exec(field);
  const name = m?.[1] ?? field;
  switch (name) {
    case 'id': return flow.id;
    case 'name': return flow.name;
    case 'categories': return flow.categories;
    case 'status': return flow.status;
    case 'validation_errors': return flow.validationErrors;
    case 'json_version': return flow.jsonVersion;
    case 'data_api_version': return flow.dataApiVersion;
    case 'endpoint_uri': return flow.endpointUri;
    case 'data_channel_uri': return flow.endpointUri;
    case 'updated_at': return metaTime(flow.updatedAt);
    case 'preview': return preview(ctx, flow, /invalidate\(\s*true\s*\)/.test(m?.[2] ?? ''));
    case 'health_status': return health(ctx, flow);
    case 'whatsapp_business_account': return { id: flow.wabaId, name: 'Flowbridge emulator', timezone_id: '1', message_template_namespace: `ns_${flow.wabaId}` };
    case 'application': return { link: 'https://example.invalid/app', name: 'Flowbridge emulator app', id: flow.applicationId ?? '1' };
    case 'metric': throw new GraphFault({ code: 139006, title: 'Metric threshold not reached', details: 'Not enough data to show this metric yet.' });
    default: throw new GraphFault({ code: 100, title: `Tried accessing nonexisting field (${name}) on node type (WhatsAppFlow)` });
  }
}

/** The flow object for `fields` (the `fields` query text, possibly empty). */
export function flowWithFields(ctx: EmulatorContext, flow: EmulatedFlow, fields: string | null): Record<string, unknown> {
  const wanted = fields === null || fields.trim() === '' ? DEFAULT_FIELDS : splitFields(fields);
  const out: Record<string, unknown> = {};
  for (const field of wanted) {
    const value = fieldValue(ctx, flow, field);
    const key = /^[a-z_]+/.exec(field)?.[0] ?? field;
    if (value !== undefined) out[key] = value;
  }
  out.id = flow.id;
  return out;
}
