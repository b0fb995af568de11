/**
 * The Flows API routes of the emulator (spec §7.1; Meta's Flows API
 * Postman collection): create, list, get, update metadata, upload and list
 * assets, publish, deprecate, delete, migrate. Parameters are checked as
 * strictly as Meta does; every refusal is a Meta error envelope.
 * @module
 */
import { FLOW_CATEGORIES } from '../whatsapp/graph/flows-api.js';
import { metaTime, setFlowStatus, type EmulatorContext, type RouteReply } from './emulator-context.js';
import { nextObjectId, type EmulatedFlow } from './emulator-state.js';
import { arrayField, textField, type EmulatorRequest } from './emulator-request.js';
import { flowWithFields } from './flow-fields.js';
import { assertEditable, deprecateFlow, publishFlow, saveFlowJson } from './flow-lifecycle.js';
import { GraphFault, fault } from './graph-fault.js';

const ok: RouteReply = { body: { success: true } };

function checkCategories(values: unknown[]): string[] {
  if (values.length === 0) throw fault.invalid('Param categories must be a non-empty array.');
  for (const c of values) {
    if (typeof c !== 'string' || !(FLOW_CATEGORIES as readonly string[]).includes(c)) throw fault.invalid(`Invalid category ${JSON.stringify(c)}; expected one of ${FLOW_CATEGORIES.join(', ')}.`);
  }
  return values as string[];
}

/** Meta requires https; the emulator also takes http on loopback so local endpoints work. */
function checkEndpointUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw fault.invalid(`Invalid endpoint URI: ${uri}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw fault.invalid(`Invalid endpoint URI: ${uri} (must be https)`);
  return uri;
}

function nameTaken(ctx: EmulatorContext, wabaId: string, name: string, except?: string): boolean {
  for (const f of ctx.state.flows.values()) if (f.wabaId === wabaId && f.name === name && f.id !== except) return true;
  return false;
}

/** A new DRAFT flow, stored and announced. */
export function newFlow(ctx: EmulatorContext, wabaId: string, name: string, categories: string[]): EmulatedFlow {
  const flow: EmulatedFlow = {
    id: nextObjectId(ctx.state), wabaId, name, categories, status: 'DRAFT', endpointUri: undefined, applicationId: undefined,
    json: undefined, validationErrors: [], jsonVersion: undefined, dataApiVersion: undefined, publishedJson: undefined,
    updatedAt: ctx.now(), previewToken: '', previewExpiresAt: 0,
  };
  ctx.state.flows.set(flow.id, flow);
  ctx.flowStatusChanged(flow, undefined);
  return flow;
}

/** `POST /{WABA_ID}/flows`. */
export function createFlowRoute(ctx: EmulatorContext, req: EmulatorRequest, wabaId: string): RouteReply {
  const name = textField(req, 'name');
  if (name === undefined || name.trim() === '') throw fault.invalid('The parameter name is required.');
  const categories = arrayField(req, 'categories');
  if (categories === undefined) throw fault.invalid('The parameter categories is required.');
  const checked = checkCategories(categories);
  if (nameTaken(ctx, wabaId, name)) throw fault.invalid(`Flow name is not unique: a flow named "${name}" already exists in this WhatsApp Business Account.`);
  const cloneId = textField(req, 'clone_flow_id');
  if (cloneId !== undefined && textField(req, 'clone_template') !== undefined) throw fault.invalid('Specify only one of clone_flow_id and clone_template.');
  const source = cloneId === undefined ? undefined : ctx.state.flows.get(cloneId);
  if (cloneId !== undefined && source === undefined) throw fault.invalid(`Flow with id ${cloneId} does not exist.`);
  const endpoint = textField(req, 'endpoint_uri') ?? textField(req, 'data_channel_uri');
  const flowJson = textField(req, 'flow_json');
  const publish = textField(req, 'publish') === 'true';
  const flow = newFlow(ctx, wabaId, name, checked);
  if (endpoint !== undefined) flow.endpointUri = checkEndpointUri(endpoint);
  if (source?.json !== undefined) saveFlowJson(ctx, flow, source.json);
  if (flowJson === undefined) return { body: { id: flow.id } };
  saveFlowJson(ctx, flow, flowJson);
  let success = true;
  if (publish) {
    try {
      publishFlow(ctx, flow);
    } catch (error) {
      if (!(error instanceof GraphFault)) throw error;
      success = false;
    }
  }
  return { body: { id: flow.id, success, validation_errors: flow.validationErrors } };
}

/** `GET /{WABA_ID}/flows` with `limit`/`after` paging. */
export function listFlowsRoute(ctx: EmulatorContext, req: EmulatorRequest, wabaId: string): RouteReply {
  const all = [...ctx.state.flows.values()].filter((f) => f.wabaId === wabaId);
  const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 25) || 25, 1), 100);
  const after = req.query.get('after');
  const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8')) + 1 || 0;
  const page = all.slice(start, start + limit);
  const cursor = (i: number): string => Buffer.from(String(i)).toString('base64url');
  const data = page.map((f) => flowWithFields(ctx, f, 'id,name,status,categories,validation_errors'));
  const paging = page.length === 0 ? undefined : {
    cursors: { before: cursor(start), after: cursor(start + page.length - 1) },
    ...(start + limit < all.length && { next: `${ctx.baseUrl()}/${wabaId}/flows?limit=${limit}&after=${cursor(start + page.length - 1)}` }),
  };
  return { body: { data, ...(paging && { paging }) } };
}

/** `GET /{FLOW_ID}`. */
export function getFlowRoute(ctx: EmulatorContext, req: EmulatorRequest, flow: EmulatedFlow): RouteReply {
  return { body: flowWithFields(ctx, flow, req.query.get('fields')) };
}

/** `POST /{FLOW_ID}`: metadata. */
export function updateFlowRoute(ctx: EmulatorContext, req: EmulatorRequest, flow: EmulatedFlow): RouteReply {
  const name = textField(req, 'name');
  const categories = arrayField(req, 'categories');
  const endpoint = textField(req, 'endpoint_uri') ?? textField(req, 'data_channel_uri');
  const app = textField(req, 'application_id');
  if (name !== undefined && (name.trim() === '' || nameTaken(ctx, flow.wabaId, name, flow.id))) throw fault.invalid(`Flow name is not unique or empty: "${name}".`);
  const checked = categories && checkCategories(categories);
  const checkedUri = endpoint === undefined ? undefined : checkEndpointUri(endpoint);
  assertEditable(ctx, flow);
  if (name !== undefined) flow.name = name;
  if (checked) flow.categories = checked;
  if (checkedUri !== undefined) flow.endpointUri = checkedUri;
  if (app !== undefined) flow.applicationId = app;
  flow.updatedAt = ctx.now();
  return ok;
}

/** `POST /{FLOW_ID}/assets`: multipart `file` named flow.json, `name=flow.json`, `asset_type=FLOW_JSON`. */
export async function uploadAssetRoute(ctx: EmulatorContext, req: EmulatorRequest, flow: EmulatedFlow): Promise<RouteReply> {
  const file = req.fields.file;
  if (!(file instanceof File)) throw fault.invalid('The parameter file is required and must be uploaded as multipart/form-data.');
  if (textField(req, 'name') !== 'flow.json') throw fault.invalid('The parameter name must be "flow.json".');
  if (textField(req, 'asset_type') !== 'FLOW_JSON') throw fault.invalid('The parameter asset_type must be "FLOW_JSON".');
  assertEditable(ctx, flow);
  saveFlowJson(ctx, flow, await file.text());
  return { body: { success: true, validation_errors: flow.validationErrors } };
}

/** `GET /{FLOW_ID}/assets`. */
export function listAssetsRoute(ctx: EmulatorContext, flow: EmulatedFlow): RouteReply {
  const data = flow.json === undefined ? [] : [{ name: 'flow.json', asset_type: 'FLOW_JSON', download_url: `${ctx.baseUrl()}/_emulator/flows/${flow.id}/flow.json?t=${flow.updatedAt}` }];
  return { body: { data, paging: { cursors: { before: 'MAZDZD', after: 'MAZDZD' } } } };
}

/** `POST /{FLOW_ID}/publish`. */
export function publishRoute(ctx: EmulatorContext, flow: EmulatedFlow): RouteReply {
  publishFlow(ctx, flow);
  return ok;
}

/** `POST /{FLOW_ID}/deprecate`. */
export function deprecateRoute(ctx: EmulatorContext, flow: EmulatedFlow): RouteReply {
  deprecateFlow(ctx, flow);
  return ok;
}

/** `DELETE /{FLOW_ID}`: drafts only (139004). */
export function deleteFlowRoute(ctx: EmulatorContext, flow: EmulatedFlow): RouteReply {
  if (flow.status !== 'DRAFT' || flow.publishedJson !== undefined) {
    throw new GraphFault({ code: 139004, title: 'Deleting error', details: `Only a flow in DRAFT that was never published can be deleted; this flow is ${flow.status}. Deprecate it instead.` });
  }
  ctx.state.flows.delete(flow.id);
  return ok;
}

/** `POST /{DEST_WABA_ID}/migrate_flows`: copies by name; published sources are published on copy. */
export function migrateFlowsRoute(ctx: EmulatorContext, req: EmulatorRequest, destWabaId: string): RouteReply {
  const sourceWaba = textField(req, 'source_waba_id');
  if (sourceWaba === undefined) throw fault.invalid('The parameter source_waba_id is required.');
  const known = [ctx.options.wabaId, ...ctx.options.otherWabaIds];
  if (!known.includes(sourceWaba) || sourceWaba === destWabaId) throw fault.invalid(`source_waba_id ${sourceWaba} is not another WhatsApp Business Account of this business.`);
  const names = arrayField(req, 'source_flow_names');
  if (names && names.length > 100) throw fault.invalid('At most 100 source_flow_names per call.');
  const sources = [...ctx.state.flows.values()].filter((f) => f.wabaId === sourceWaba && (names === undefined || names.includes(f.name)));
  const migrated: unknown[] = [];
  const failed: unknown[] = [];
  for (const name of names ?? []) if (typeof name !== 'string' || !sources.some((s) => s.name === name)) failed.push({ source_name: String(name), error_code: '4233041', error_message: 'No flow with this name in the source WhatsApp Business Account.' });
  for (const src of sources) {
    if (nameTaken(ctx, destWabaId, src.name)) {
      failed.push({ source_name: src.name, error_code: '4233041', error_message: 'A flow with this name already exists in the destination WhatsApp Business Account.' });
      continue;
    }
    const copy = newFlow(ctx, destWabaId, src.name, [...src.categories]);
    copy.endpointUri = src.endpointUri;
    const json = src.publishedJson ?? src.json;
    if (json !== undefined) saveFlowJson(ctx, copy, json);
    if (src.publishedJson !== undefined && copy.validationErrors.length === 0) {
      setFlowStatus(ctx, copy, 'PUBLISHED');
      copy.publishedJson = json;
    }
    migrated.push({ source_id: src.id, source_name: src.name, migrated_id: copy.id });
  }
  return { body: { migrated_flows: migrated, failed_flows: failed } };
}

/** The raw flow.json behind an asset's `download_url`. */
export function assetDownload(flow: EmulatedFlow): RouteReply {
  return { body: flow.json ?? '', contentType: 'application/json' };
}

/** The preview page (a stub naming the flow; the web preview itself is not emulated). */
export function previewPage(flow: EmulatedFlow, now: number): RouteReply {
  return { body: `<!doctype html><title>${flow.name.replace(/[<&>"]/g, '')}</title><p>Preview of flow ${flow.id} (${flow.status}) at ${metaTime(now)}</p>`, contentType: 'text/html' };
}
