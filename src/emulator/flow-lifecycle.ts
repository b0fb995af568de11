/**
 * Flow lifecycle rules (spec §7.4; Meta, "Flow lifecycle" and "Flows error
 * codes"): validating and saving JSON (DRAFT only, or back to DRAFT for newer flows),
 * publishing with every publishing check (139002), deprecating (139003).
 * @module
 */
import { isObject } from '../core/flow/json.js';
import { validateFlowText } from '../core/flow/validate/validate-text.js';
import { FROZEN_FLOW_JSON_VERSIONS } from '../core/flow/version.js';
import { pointerToValidationPath, type FlowValidationError } from '../whatsapp/graph/flow-validation-errors.js';
import type { EmulatedFlow } from './emulator-state.js';
import { setFlowStatus, type EmulatorContext } from './emulator-context.js';
import { GraphFault } from './graph-fault.js';

/** The result of checking an uploaded Flow JSON text. */
export interface UploadCheck {
  readonly errors: FlowValidationError[];
  readonly jsonVersion: string | undefined;
  readonly dataApiVersion: string | undefined;
}

/**
 * Validate `text` as Meta does on upload: the project's validator, each error
 * finding in Meta's `validation_errors` shape (spec §7.3) with its span and
 * pointer path. Warnings (frozen versions, near limits) are not validation
 * errors at Meta.
 */
export function checkUploadedFlowJson(text: string): UploadCheck {
  const result = validateFlowText(text);
  const errors: FlowValidationError[] = [];
  for (const f of result.findings) {
    if (f.severity !== 'error') continue;
    const span = f.span ?? { line_start: 1, line_end: 1, column_start: 1, column_end: 1 };
    errors.push({
      error: f.code,
      error_type: 'FLOW_JSON_ERROR',
      message: f.message,
      ...span,
      pointers: [{ ...span, path: pointerToValidationPath(f.pointer) }],
    });
  }
  let jsonVersion: string | undefined;
  let dataApiVersion: string | undefined;
  try {
    const doc: unknown = JSON.parse(text);
    if (isObject(doc)) {
      jsonVersion = typeof doc.version === 'string' ? doc.version : undefined;
      dataApiVersion = typeof doc.data_api_version === 'string' ? doc.data_api_version : undefined;
    }
  } catch {
    // reported above as INVALID_FLOW_JSON
  }
  return { errors, jsonVersion, dataApiVersion };
}

const cannotUpdate = (details: string): GraphFault =>
  new GraphFault({ code: 139001, title: 'Flow can\'t be updated', details, userTitle: 'Flow can\'t be updated', userMsg: details });

/** Refuse an edit Meta refuses; with `new-draft`, put a published flow back to DRAFT. */
export function assertEditable(ctx: EmulatorContext, flow: EmulatedFlow): void {
  if (flow.status === 'DRAFT') return;
  if (flow.status === 'PUBLISHED' && ctx.options.publishedEdits === 'new-draft') {
    setFlowStatus(ctx, flow, 'DRAFT');
    return;
  }
  throw cannotUpdate(`The flow is ${flow.status}; published flows are immutable. Clone it into a new flow to change it.`);
}

/** Save Flow JSON text on a flow and compute its validation errors (saved even with errors). */
export function saveFlowJson(ctx: EmulatorContext, flow: EmulatedFlow, text: string): void {
  const check = checkUploadedFlowJson(text);
  flow.json = text;
  flow.validationErrors = check.errors;
  flow.jsonVersion = check.jsonVersion;
  flow.dataApiVersion = check.dataApiVersion;
  flow.updatedAt = ctx.now();
}

const publishError = (details: string): GraphFault =>
  new GraphFault({ code: 139002, title: 'Publishing error', details, userTitle: 'Flow can\'t be published', userMsg: details });

/** Every publishing check, in the order Meta documents them; throws 139002 on the first failure. */
export function publishFlow(ctx: EmulatorContext, flow: EmulatedFlow): void {
  if (flow.status !== 'DRAFT') throw publishError(`Only a flow in DRAFT can be published; this flow is ${flow.status}.`);
  if (flow.json === undefined) throw publishError('The flow has no Flow JSON: upload flow.json first.');
  if (flow.validationErrors.length > 0) throw publishError(`The Flow JSON has ${flow.validationErrors.length} validation error(s); fix them first.`);
  if (flow.jsonVersion !== undefined && FROZEN_FLOW_JSON_VERSIONS.includes(flow.jsonVersion)) {
    throw publishError(`Flow JSON version ${flow.jsonVersion} is frozen and can no longer be published; use a newer version.`);
  }
  if (flow.dataApiVersion !== undefined) {
    if (flow.endpointUri === undefined) throw publishError('The flow uses an endpoint (data_api_version) but has no endpoint_uri.');
    const key = ctx.state.businessKey;
    if (key === undefined) throw publishError('Missing Flows Signed Public Key: upload a business public key for the phone number.');
    if (key.signatureStatus !== 'VALID') throw publishError('The business public key signature does not match (MISMATCH): upload the key again.');
  }
  if (!ctx.options.flowsWebhookSubscribed) throw publishError('The WhatsApp Business Account is not subscribed to the flows webhook field.');
  setFlowStatus(ctx, flow, 'PUBLISHED');
  flow.publishedJson = flow.json;
  flow.updatedAt = ctx.now();
}

/** PUBLISHED / THROTTLED / BLOCKED → DEPRECATED (terminal). */
export function deprecateFlow(ctx: EmulatorContext, flow: EmulatedFlow): void {
  if (flow.status !== 'PUBLISHED' && flow.status !== 'THROTTLED' && flow.status !== 'BLOCKED') {
    throw new GraphFault({ code: 139003, title: 'Deprecating error', details: `Only a published flow can be deprecated; this flow is ${flow.status}.` });
  }
  setFlowStatus(ctx, flow, 'DEPRECATED');
  flow.updatedAt = ctx.now();
}
