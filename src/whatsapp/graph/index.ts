/**
 * The Graph API client's public surface: build a client with
 * {@link createGraphClient}, catch {@link GraphError} and read its
 * `retryable` / `retryAfterMs` / `userMessage`. Import from here rather than
 * from the individual files.
 * @module
 */
export { createGraphClient, type GraphClient, type GraphClientOptions } from './create-graph-client.js';
export { GraphError, isGraphError, graphErrorFromResponse, parseGraphErrorEnvelope, parseRetryAfter, type GraphErrorEnvelope } from './graph-error.js';
export { graphErrorTable, graphErrorRule, type GraphErrorKind, type GraphErrorRule } from './graph-error-codes.js';
export { FLOW_CATEGORIES, FLOW_FIELDS, type CreateFlowInput, type FlowCategory, type FlowJsonSaveResult, type FlowStatus, type GraphFlow, type UpdateFlowInput } from './flows-api.js';
export { flowInteractive, flowTemplate, type FlowMessageInput, type FlowOpenAction, type SendResult, type TemplateMessageInput } from './messages-api.js';
export { templateComponents, type CreateTemplateInput, type FlowButtonSpec, type GraphTemplate, type TemplateStatus } from './templates-api.js';
export type { BusinessPublicKey, MediaInfo } from './account-api.js';
export { parseValidationErrors, pointerToValidationPath, validationPathToPointer, type FlowValidationError, type LocatedValidationError } from './flow-validation-errors.js';
export type { TokenSource } from './graph-transport.js';
