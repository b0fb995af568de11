/**
 * Dispatch of one parsed request to its handler, as Graph resolves paths:
 * the first segment is an object id (WABA, phone number, flow, template,
 * media) and the optional second one an edge. Unknown ids answer Graph's
 * "Unsupported get request" (100/33), unknown edges "Unknown path
 * components" (2500), a missing or wrong token 104/190.
 * @module
 */
import type { EmulatorContext, RouteReply } from './emulator-context.js';
import type { EmulatorRequest } from './emulator-request.js';
import { mediaDownload, mediaInfoRoute, phoneNumberRoute, readKeyRoute, uploadKeyRoute } from './account-routes.js';
import {
  assetDownload, createFlowRoute, deleteFlowRoute, deprecateRoute, getFlowRoute, listAssetsRoute, listFlowsRoute,
  migrateFlowsRoute, previewPage, publishRoute, updateFlowRoute, uploadAssetRoute,
} from './flow-routes.js';
import { GraphFault, fault } from './graph-fault.js';
import { sendMessageRoute } from './message-routes.js';
import { createTemplateRoute, getTemplateRoute, listTemplatesRoute } from './template-routes.js';

function unknownEdge(path: string): GraphFault {
  return new GraphFault({ code: 2500, title: `Unknown path components: /${path}` });
}

function authenticate(ctx: EmulatorContext, req: EmulatorRequest): void {
  if (req.credential === undefined) throw new GraphFault({ code: 104, title: 'An access token is required to request this resource.' });
  const viaKeyHeader = ctx.options.apiKeyHeader !== undefined && req.credentialSource === ctx.options.apiKeyHeader.toLowerCase();
  if (req.credential !== ctx.options.accessToken) {
    throw new GraphFault({ httpStatus: 401, code: 190, title: viaKeyHeader ? 'Invalid API key' : 'Invalid OAuth access token - Cannot parse access token' });
  }
}

/** Emulator-only pages (asset downloads, previews, media bytes, the CDN of picker uploads) under `/_emulator`. */
function internal(ctx: EmulatorContext, req: EmulatorRequest): RouteReply {
  const [, kind, id, leaf] = req.segments;
  if (kind === 'cdn' && id !== undefined && req.method === 'GET') {
    // Like WhatsApp's CDN: the encrypted blob, no auth header (the keys travel in encryption_metadata).
    const blob = ctx.state.cdn.get(id);
    if (blob) return { body: blob, contentType: 'application/octet-stream' };
  }
  if (kind === 'flows' && id !== undefined) {
    const flow = ctx.state.flows.get(id);
    if (flow && leaf === 'flow.json') return assetDownload(flow);
    if (flow && leaf === 'preview') return previewPage(flow, ctx.now());
  }
  if (kind === 'media' && id !== undefined) {
    authenticate(ctx, req);
    const media = ctx.state.media.get(id);
    if (media) return mediaDownload(ctx, req, media);
  }
  throw new GraphFault({ httpStatus: 404, code: 100, title: 'Not found' });
}

function phoneScoped(ctx: EmulatorContext, req: EmulatorRequest): string[] {
  // 360dialog-style providers scope the key to one number: `/messages` means `/{PHONE_NUMBER_ID}/messages`.
  const s = req.segments;
  const viaKeyHeader = ctx.options.apiKeyHeader !== undefined && req.credentialSource === ctx.options.apiKeyHeader.toLowerCase();
  if (viaKeyHeader && s.length === 1 && (s[0] === 'messages' || s[0] === 'whatsapp_business_encryption')) return [ctx.options.phoneNumberId, s[0]];
  return s;
}

/** Route `req`; throws {@link GraphFault} for every refusal. */
export async function routeGraphRequest(ctx: EmulatorContext, req: EmulatorRequest): Promise<RouteReply> {
  if (req.segments[0] === '_emulator') return internal(ctx, req);
  authenticate(ctx, req);
  const [id, edge, ...rest] = phoneScoped(ctx, req);
  const m = req.method;
  const path = req.segments.join('/');
  if (id === undefined) throw unknownEdge(path);
  if (rest.length > 0) throw unknownEdge(path);
  const o = ctx.options;
  if (id === o.wabaId || o.otherWabaIds.includes(id)) {
    if (edge === 'flows' && m === 'POST') return createFlowRoute(ctx, req, id);
    if (edge === 'flows' && m === 'GET') return listFlowsRoute(ctx, req, id);
    if (edge === 'migrate_flows' && m === 'POST') return migrateFlowsRoute(ctx, req, id);
    if (edge === 'message_templates' && m === 'POST') return createTemplateRoute(ctx, req, id);
    if (edge === 'message_templates' && m === 'GET') return listTemplatesRoute(ctx, req, id);
    if (edge === undefined && m === 'GET') return { body: { id, name: 'Flowbridge emulator', timezone_id: '1', message_template_namespace: `ns_${id}` } };
    throw unknownEdge(path);
  }
  if (id === o.phoneNumberId) {
    if (edge === 'messages' && m === 'POST') return sendMessageRoute(ctx, req, id);
    if (edge === 'whatsapp_business_encryption' && m === 'POST') return uploadKeyRoute(ctx, req);
    if (edge === 'whatsapp_business_encryption' && m === 'GET') return readKeyRoute(ctx);
    if (edge === undefined && m === 'GET') return phoneNumberRoute(ctx, req);
    throw unknownEdge(path);
  }
  const flow = ctx.state.flows.get(id);
  if (flow) {
    if (edge === undefined && m === 'GET') return getFlowRoute(ctx, req, flow);
    if (edge === undefined && m === 'POST') return updateFlowRoute(ctx, req, flow);
    if (edge === undefined && m === 'DELETE') return deleteFlowRoute(ctx, flow);
    if (edge === 'assets' && m === 'POST') return uploadAssetRoute(ctx, req, flow);
    if (edge === 'assets' && m === 'GET') return listAssetsRoute(ctx, flow);
    if (edge === 'publish' && m === 'POST') return publishRoute(ctx, flow);
    if (edge === 'deprecate' && m === 'POST') return deprecateRoute(ctx, flow);
    throw unknownEdge(path);
  }
  const template = ctx.state.templates.get(id);
  if (template) {
    if (edge === undefined && m === 'GET') return getTemplateRoute(ctx, template);
    throw unknownEdge(path);
  }
  const media = ctx.state.media.get(id);
  if (media) {
    if (edge === undefined && m === 'GET') return mediaInfoRoute(ctx, media);
    throw unknownEdge(path);
  }
  throw fault.noObject(m, id);
}
