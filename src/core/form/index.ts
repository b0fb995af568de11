/**
 * The FormModel: a neutral description of a form (see docs/form-model.md).
 * @module
 */
export { conditionDepth, conditionFields, conditionSchema, type Condition, type ConditionValue } from './condition.js';
export { evaluateCondition, isAnswered, type Answer } from './evaluate-condition.js';
export { CHOICE_TYPES, FIELD_TYPES, fieldSchema, optionSchema, type FieldOption, type FieldType, type FieldValidation, type FormField } from './field.js';
export { formModelSchema, jumpSchema, pageSchema, SOURCE_SYSTEMS, sourceSchema, type FormModel, type FormModelInput, type FormPage, type Jump } from './form-model.js';
export { formatIssuePath, issuesToErrors, parseFormModelFile, validateFormModel, type FormFileError, type ParseFormModelResult } from './parse-form-model-file.js';
