/**
 * The Flows management calls (spec §7.1; Meta's Flows API Postman
 * collection): create, update metadata, upload `flow.json`, list, get,
 * preview, assets, publish, deprecate, delete, migrate. Form fields are
 * url-encoded, arrays JSON-encoded strings; the asset upload is multipart
 * with `file` (filename `flow.json`, `application/json`), `name=flow.json`
 * and `asset_type=FLOW_JSON`, exactly as documented.
 * @module
 */
import { z } from 'zod';
import { parseValidationErrors, type LocatedValidationError } from './flow-validation-errors.js';
import { readReply, requireId, type GraphContext } from './graph-transport.js';

/** Flow categories Meta accepts (spec §7.1). */
export const FLOW_CATEGORIES = ['SIGN_UP', 'SIGN_IN', 'APPOINTMENT_BOOKING', 'LEAD_GENERATION', 'CONTACT_US', 'CUSTOMER_SUPPORT', 'SURVEY', 'OTHER'] as const;
/** One of {@link FLOW_CATEGORIES}. */
export type FlowCategory = (typeof FLOW_CATEGORIES)[number];
/** Flow lifecycle states (spec §7.2). */
export type FlowStatus = 'DRAFT' | 'PUBLISHED' | 'DEPRECATED' | 'BLOCKED' | 'THROTTLED';

/** Fields every flow read may ask for (spec §7.1 "Get"). */
export const FLOW_FIELDS = ['id', 'name', 'categories', 'preview', 'status', 'validation_errors', 'json_version', 'data_api_version', 'endpoint_uri', 'health_status', 'whatsapp_business_account', 'application', 'updated_at'] as const;

const healthEntity = z.looseObject({ entity_type: z.string(), id: z.string(), can_send_message: z.string(), errors: z.array(z.looseObject({ error_code: z.number(), error_description: z.string(), possible_solution: z.string().optional() })).optional() });
const flowObject = z.object({
  id: z.string(),
  name: z.string().optional(),
  categories: z.array(z.string()).optional(),
  status: z.string().optional(),
  validation_errors: z.array(z.unknown()).optional(),
  json_version: z.string().optional(),
  data_api_version: z.string().optional(),
  endpoint_uri: z.string().optional(),
  updated_at: z.string().optional(),
  preview: z.looseObject({ preview_url: z.string(), expires_at: z.string() }).optional(),
  health_status: z.looseObject({ can_send_message: z.string(), entities: z.array(healthEntity) }).optional(),
  whatsapp_business_account: z.record(z.string(), z.unknown()).optional(),
  application: z.record(z.string(), z.unknown()).optional(),
});
const success = z.looseObject({ success: z.boolean() });
const paging = z.looseObject({ cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(), next: z.string().optional() }).optional();

/** A flow as read back: the fields of spec §7.2 that were asked for, `validationErrors` parsed. */
export type GraphFlow = Omit<z.output<typeof flowObject>, 'validation_errors'> & { readonly validationErrors: LocatedValidationError[] };

/** Arguments of `createFlow`. */
export interface CreateFlowInput {
  readonly name: string;
  readonly categories: readonly FlowCategory[];
  readonly endpointUri?: string;
  readonly cloneFlowId?: string;
  /** Flow JSON text (or a value to stringify) to save at creation. */
  readonly flowJson?: string | object;
  /** Publish at once; only with a valid `flowJson`. */
  readonly publish?: boolean;
}

/** Metadata `updateFlowMetadata` may change. */
export interface UpdateFlowInput {
  readonly name?: string;
  readonly categories?: readonly FlowCategory[];
  readonly endpointUri?: string;
  readonly applicationId?: string;
}

/** Result of `uploadFlowJson` and of a create with `flowJson`: saved even with errors. */
export interface FlowJsonSaveResult {
  readonly success: boolean;
  readonly validationErrors: LocatedValidationError[];
}

function toFlow(raw: z.output<typeof flowObject>): GraphFlow {
  const { validation_errors: errors, ...rest } = raw;
  return { ...rest, validationErrors: parseValidationErrors(errors) };
}

const jsonText = (json: string | object): string => (typeof json === 'string' ? json : JSON.stringify(json));

/** Build the flows calls over a context. */
export function flowsApi(ctx: GraphContext) {
  const t = ctx.transport;
  const waba = (): string => requireId(ctx.wabaId, 'wabaId');
  const ok = async (method: 'POST' | 'DELETE', path: string, what: string): Promise<{ success: boolean }> =>
    readReply(success, await t.call({ method, path }), what);
  return {
    /** `POST /{WABA_ID}/flows`. */
    async createFlow(input: CreateFlowInput): Promise<{ id: string } & Partial<FlowJsonSaveResult>> {
      const form = {
        name: input.name,
        categories: JSON.stringify(input.categories),
        endpoint_uri: input.endpointUri,
        clone_flow_id: input.cloneFlowId,
        flow_json: input.flowJson === undefined ? undefined : jsonText(input.flowJson),
        publish: input.publish === undefined ? undefined : String(input.publish),
      };
      const reply = readReply(z.looseObject({ id: z.string(), success: z.boolean().optional(), validation_errors: z.array(z.unknown()).optional() }), await t.call({ method: 'POST', path: `${waba()}/flows`, body: { form } }), 'create flow');
      return { id: reply.id, ...(reply.success !== undefined && { success: reply.success }), ...(reply.validation_errors && { validationErrors: parseValidationErrors(reply.validation_errors) }) };
    },
    /** `POST /{FLOW_ID}` with the fields to change. */
    async updateFlowMetadata(flowId: string, input: UpdateFlowInput): Promise<{ success: boolean }> {
      const form = { name: input.name, categories: input.categories && JSON.stringify(input.categories), endpoint_uri: input.endpointUri, application_id: input.applicationId };
      return readReply(success, await t.call({ method: 'POST', path: flowId, body: { form } }), 'update flow metadata');
    },
    /** `POST /{FLOW_ID}/assets` (multipart `flow.json`). */
    async uploadFlowJson(flowId: string, flowJson: string | object): Promise<FlowJsonSaveResult> {
      const body = new FormData();
      body.append('name', 'flow.json');
      body.append('asset_type', 'FLOW_JSON');
      body.append('file', new Blob([jsonText(flowJson)], { type: 'application/json' }), 'flow.json');
      const reply = readReply(z.looseObject({ success: z.boolean(), validation_errors: z.array(z.unknown()).optional() }), await t.call({ method: 'POST', path: `${flowId}/assets`, body: { multipart: body } }), 'upload flow.json');
      return { success: reply.success, validationErrors: parseValidationErrors(reply.validation_errors) };
    },
    /** `GET /{WABA_ID}/flows`, one page. */
    async listFlows(page: { limit?: number; after?: string } = {}): Promise<{ data: GraphFlow[]; after: string | undefined }> {
      const query = { limit: page.limit === undefined ? undefined : String(page.limit), after: page.after };
      const reply = readReply(z.looseObject({ data: z.array(flowObject), paging }), await t.call({ method: 'GET', path: `${waba()}/flows`, query }), 'list flows');
      return { data: reply.data.map(toFlow), after: reply.paging?.next !== undefined ? reply.paging.cursors?.after : undefined };
    },
    /** `GET /{FLOW_ID}?fields=…` (default: every field of spec §7.2 but metrics). */
    async getFlow(flowId: string, fields: readonly string[] = FLOW_FIELDS): Promise<GraphFlow> {
      return toFlow(readReply(flowObject, await t.call({ method: 'GET', path: flowId, query: { fields: fields.join(',') } }), 'get flow'));
    },
    /** `GET /{FLOW_ID}?fields=preview.invalidate(…)`: a web preview link and its expiry. */
    async getPreview(flowId: string, invalidate = false): Promise<{ previewUrl: string; expiresAt: string }> {
      const reply = readReply(z.looseObject({ preview: z.looseObject({ preview_url: z.string(), expires_at: z.string() }) }), await t.call({ method: 'GET', path: flowId, query: { fields: `preview.invalidate(${invalidate})` } }), 'get flow preview');
      return { previewUrl: reply.preview.preview_url, expiresAt: reply.preview.expires_at };
    },
    /** `GET /{FLOW_ID}/assets`. */
    async listAssets(flowId: string): Promise<Array<{ name: string; assetType: string; downloadUrl: string }>> {
      const reply = readReply(z.looseObject({ data: z.array(z.looseObject({ name: z.string(), asset_type: z.string(), download_url: z.string() })) }), await t.call({ method: 'GET', path: `${flowId}/assets` }), 'list flow assets');
      return reply.data.map((a) => ({ name: a.name, assetType: a.asset_type, downloadUrl: a.download_url }));
    },
    /** `POST /{FLOW_ID}/publish`; 139002 when a publishing check fails. */
    publishFlow: (flowId: string) => ok('POST', `${flowId}/publish`, 'publish flow'),
    /** `POST /{FLOW_ID}/deprecate`; 139003 unless published. */
    deprecateFlow: (flowId: string) => ok('POST', `${flowId}/deprecate`, 'deprecate flow'),
    /** `DELETE /{FLOW_ID}`; 139004 unless draft. */
    deleteFlow: (flowId: string) => ok('DELETE', flowId, 'delete flow'),
    /** `POST /{DEST_WABA_ID}/migrate_flows` (≤100 names; omitted = all). */
    async migrateFlows(input: { sourceWabaId: string; sourceFlowNames?: readonly string[]; destinationWabaId?: string }) {
      const form = { source_waba_id: input.sourceWabaId, source_flow_names: input.sourceFlowNames && JSON.stringify(input.sourceFlowNames) };
      const reply = readReply(
        z.looseObject({
          migrated_flows: z.array(z.looseObject({ source_id: z.string(), source_name: z.string(), migrated_id: z.string() })),
          failed_flows: z.array(z.looseObject({ source_name: z.string(), error_code: z.union([z.string(), z.number()]), error_message: z.string() })),
        }),
        await t.call({ method: 'POST', path: `${input.destinationWabaId ?? waba()}/migrate_flows`, body: { form } }),
        'migrate flows',
      );
      return {
        migrated: reply.migrated_flows.map((m) => ({ sourceId: m.source_id, sourceName: m.source_name, migratedId: m.migrated_id })),
        failed: reply.failed_flows.map((f) => ({ sourceName: f.source_name, errorCode: String(f.error_code), errorMessage: f.error_message })),
      };
    },
  };
}
