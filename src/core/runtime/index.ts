/**
 * The Flow runtime: a headless emulator of the WhatsApp client.
 * @module
 */
export { createFlowRuntime, type FlowRuntime, type RuntimeOptions } from './flow-runtime.js';
export { autoFill, type AutoFillResult } from './auto-fill.js';
export type { ScreenView, ComponentView, OptionView, FooterView } from './screen-view.js';
export type { PickerFileView } from './picker-view.js';
export type { RuntimeEvent, RuntimeStatus, StepResult } from './screen-state.js';
export type { EndpointClient, EndpointReply, EndpointRequest } from './endpoint/endpoint-client.js';
export { CHECK_MESSAGES } from './input-checks.js';
export { GENERIC_ERROR_MESSAGE } from './endpoint/endpoint-reply.js';
