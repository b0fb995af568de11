/**
 * Codes and messages of the structural rules, in Meta's wording where Meta
 * has one (Meta, "Flow JSON error codes"; spec §1.12). Project codes start
 * with `FB_` and are used only where Meta has no code.
 * @module
 */

/** Every code the structural layer emits. */
export const STRUCTURAL_CODES = {
  unknownKey: 'INVALID_PROPERTY_KEY',
  missing: 'MISSING_REQUIRED_TYPE_PROPERTY',
  type: 'INVALID_PROPERTY_TYPE',
  pattern: 'PATTERN_MISMATCH',
  enumValue: 'INVALID_ENUM_VALUE',
  value: 'INVALID_PROPERTY_VALUE',
  format: 'INVALID_PROPERTY_VALUE_FORMAT',
  minItems: 'MIN_ITEMS_REQUIRED',
  maxItems: 'MAX_ITEMS_REQUIRED',
  minimum: 'MINIMUM_VALUE_REQUIRED',
  maximum: 'MAXIMUM_VALUE_REQUIRED',
  dependencies: 'INVALID_DEPENDENCIES',
  notKeyword: 'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED',
  emptyCases: 'EMPTY_SWITCH_CASES',
  conditionProp: 'INVALID_PROPERTY_NAME_FOR_CONDITION',
  screenData: 'INVALID_SCREEN_DATA',
  maxComponents: 'MAX_ALLOWED_COMPONENTS_PER_SCREEN',
  maxPerScreen: 'COMPONENT_TYPE_MAX_NUMBER_PER_SCREEN',
  richTextPlacement: 'INVALID_RICHTEXT_PLACEMENT',
  placement: 'INVALID_COMPONENT_PLACEMENT',
  maxChars: 'FB_MAX_CHARS',
  maxPerFlow: 'FB_MAX_COMPONENTS_PER_FLOW',
  ifNesting: 'MAXIMUM_IF_NESTING',
  imageAndColor: 'DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR',
  nearLimit: 'FB_NEAR_LIMIT',
} as const;

/** Where a key sits, for "cannot be specified at …". */
const at = (pointer: string): string => (pointer === '' ? '(root)' : pointer);

/** Message builders, one per kind of finding. */
export const msg = {
  unknownKey: (key: string, parent: string) => `Property '${key}' cannot be specified at ${at(parent)}`,
  missing: (key: string) => `Required property '${key}' is missing`,
  type: (pointer: string, expected: readonly string[], found: string) =>
    `Expected property '${pointer}' to be of type ${expected.join(' or ')}, but found ${found}`,
  dynPattern: (key: string, expected: readonly string[], global: boolean) =>
    `Property '${key}' should be of type '${expected.join("' or '")}' or have dynamic data format of the form ` +
    (global ? '${screen.data.your_value} or ${data.your_value}' : '${data.your_value}'),
  blank: (key: string) => `Property '${key}' should not be blank or an empty string`,
  enumValue: (values: readonly string[]) => `Value should be one of: [${values.join(', ')}]`,
  minItems: (key: string, n: number) => `Property '${key}' should have at least '${n}' item${n === 1 ? '' : 's'}`,
  maxItems: (key: string, n: number) => `Property '${key}' should have at most '${n}' item${n === 1 ? '' : 's'}`,
  maxChars: (key: string, n: number, found: number) =>
    `Property '${key}' should have at most '${n}' characters, but has ${found}`,
  minimum: (key: string, n: number) => `The minimum value allowed for property '${key}' is ${n}`,
  maximum: (key: string, n: number) => `The maximum value allowed for property '${key}' is ${n}`,
  format: (key: string, format: string) => `Property '${key}' should be in '${format}' format`,
  otherActionKey: (key: string, prop: string, name: string) => `Property '${key}' cannot be specified at ${prop} '${name}'`,
  conditionProp: (component: string, condition: string, key: string) =>
    `Cannot set property '${key}' when ${condition} for component '${component}'`,
  perScreen: (type: string, max: number, found: number) =>
    `Maximum number of ${type} allowed per screen is ${max} but found ${found}.`,
  perFlow: (type: string, max: number, found: number) =>
    `Maximum number of ${type} allowed per Flow is ${max} but found ${found}.`,
} as const;
