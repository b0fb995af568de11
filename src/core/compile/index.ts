/**
 * The FormModel → Flow JSON compiler, its field map and report, and the
 * server-side helpers that read answers back.
 * @module
 */
export { compileForm, type CompileOptions, type CompileResult } from './compile-form.js';
export { CompileReport, fitText, type ReportEntry, type ReportKind, type ReportSeverity } from './compile-report.js';
export { conditionToExpr, type ExprOperand } from './condition-expr.js';
export { endpointStep, searchOptions, type EndpointStep } from './endpoint-step.js';
export type { AnswerValueType, FieldMap, FieldMapEntry, FieldMapOption, FieldMapPage, FieldMapScreen, ServerCheck } from './field-map.js';
export { mapAnswersToSource, type SourceValue } from './map-answers-to-source.js';
export { neutralAnswers, type NeutralAnswer } from './neutral-answers.js';
export { OVERRIDE_COMPONENTS, overridesSchema, parseOverrides, type CompileOverrides } from './overrides.js';
export { nextPageIndex, replayPath, type ReplayedPath } from './replay-path.js';
export { boundPickers, pickerEntryData } from './picker-errors.js';
