/**
 * The typed Flow JSON model, its builder, parser and canonical emitter.
 * @module
 */
export type * from './actions.js';
export type * from './component.js';
export type * from './dynamic-value.js';
export type * from './flow.js';
export type * from './input-components.js';
export type * from './media-components.js';
export type * from './navigation-components.js';
export type * from './screen.js';
export type * from './selection-components.js';
export type * from './text-components.js';
export { COMPONENT_TYPES } from './component.js';
export { INPUT_COMPONENT_TYPES, isInputComponentType, type CompletedMedia, type FieldValue, type InputComponentType, type InputValueByType, type MediaUpload } from './input-values.js';
export { complete, dataExchange, navigate, openUrl, updateData } from './builder-actions.js';
export { data, expr, form, screenData, screenForm } from './builder-refs.js';
export { declareData, schemaOf } from './builder-data.js';
export { ComponentListBuilder, options, type ChildrenFn, type PropsOf } from './builder-components.js';
export { ScreenBuilder } from './builder-screen.js';
export { FlowBuilder, flow, navigateTargets, type ScreenFn } from './builder.js';
export { canonicalAction, canonicalComponent, canonicalizeFlow, emitFlowJson, type EmitOptions } from './emit-flow-json.js';
export { parseFlow, type ParseFlowResult } from './parse-flow.js';
