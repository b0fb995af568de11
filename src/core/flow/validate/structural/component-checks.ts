/**
 * Rules of single components that a property table cannot express: Footer
 * caption pairing, TextInput `pattern`, list options with images or colours, If/Switch
 * branch shapes (Meta, "Components"; spec §1.9). CalendarPicker modes and
 * NavigationList action/badge/`end` consistency are semantic rules
 * (`semantic/date-pickers.ts`, `semantic/navigation-list.ts`).
 * @module
 */
import { childPointer } from '../../finding.js';
import { isDynamicValue } from '../../dynamic.js';
import { isObject, jsonTypeOf, type JsonObject } from '../../json.js';
import { PATTERN_INPUT_TYPES } from '../../spec/input-components.js';
import { DROPDOWN_MAX_WITH_IMAGES } from '../../spec/selection-components.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';
import type { Scope } from './check-value.js';

/** Version gates, parsed once (not per call). */
const V_6_2 = versionLiteral('6.2');

/** A check run after a component's properties were checked against its spec. */
export type ComponentCheck = (node: JsonObject, pointer: string, s: Scope) => void;

const has = (node: JsonObject, key: string): boolean => node[key] !== undefined;
/** Not a type guard, so a `false` answer leaves the value a string. */
const dynamic = (value: unknown): boolean => isDynamicValue(value);

/** Footer: left and right captions go together; center goes alone. */
function footer(node: JsonObject, pointer: string, s: Scope): void {
  const left = has(node, 'left-caption');
  const right = has(node, 'right-caption');
  if (has(node, 'center-caption') && (left || right)) {
    const other = left ? 'left-caption' : 'right-caption';
    s.findings.error(
      C.notKeyword,
      childPointer(pointer, 'center-caption'),
      `Properties 'center-caption' and [left-caption, right-caption] must be present exclusively at Footer: found 'center-caption' with '${other}'.`,
    );
  } else if (left !== right) {
    const [present, missing] = left ? ['left-caption', 'right-caption'] : ['right-caption', 'left-caption'];
    s.findings.error(
      C.dependencies,
      childPointer(pointer, present),
      `Property '${missing}' is required when property '${present}' is present: set both, or use 'center-caption' alone.`,
    );
  }
}

/** TextInput: `pattern` only with some input types, and it makes `helper-text` mandatory (≥6.2). */
function textInput(node: JsonObject, pointer: string, s: Scope): void {
  if (!has(node, 'pattern') || !isAtLeast(s.version, V_6_2)) return;
  const inputType = node['input-type'];
  if (typeof inputType === 'string' && !dynamic(inputType) && !PATTERN_INPUT_TYPES.has(inputType)) {
    s.findings.error(
      C.conditionProp,
      childPointer(pointer, 'pattern'),
      msg.conditionProp('TextInput', `input-type is '${inputType}'`, 'pattern'),
    );
  }
  if (!has(node, 'helper-text')) s.findings.error(C.missing, pointer, msg.missing('helper-text'));
}

/** Dropdown: at most 100 options when any option has an image. */
function dropdown(node: JsonObject, pointer: string, s: Scope): void {
  const items = node['data-source'];
  if (!Array.isArray(items) || items.length <= DROPDOWN_MAX_WITH_IMAGES) return;
  if (items.some((item) => isObject(item) && item.image !== undefined)) {
    s.findings.error(C.maxItems, childPointer(pointer, 'data-source'), msg.maxItems('data-source', DROPDOWN_MAX_WITH_IMAGES));
  }
}

/** Lists: items carry images or colours, never a mix (Meta: DATA_SOURCE_ITEMS_HAVE_BOTH_IMAGE_AND_COLOR). */
function imageOrColor(node: JsonObject, pointer: string, s: Scope): void {
  const items = node['data-source'];
  if (!Array.isArray(items)) return;
  let images = false;
  let colors = false;
  for (const item of items) {
    if (!isObject(item)) continue;
    images ||= item.image !== undefined;
    colors ||= item.color !== undefined;
  }
  if (images && colors) {
    const name = typeof node.name === 'string' ? node.name : '';
    s.findings.error(
      C.imageAndColor,
      childPointer(pointer, 'data-source'),
      `Data source can only have either only image attributes or only color attributes for all items for ${String(node.type)} '${name}'.`,
    );
  }
}

/** Dropdown: the option limit with images, and images or colours. */
function dropdownChecks(node: JsonObject, pointer: string, s: Scope): void {
  dropdown(node, pointer, s);
  imageOrColor(node, pointer, s);
}

/** If: `then` must hold at least one component. */
function ifComponent(node: JsonObject, pointer: string, s: Scope): void {
  const then = node.then;
  if (Array.isArray(then) && then.length === 0) {
    const here = childPointer(pointer, 'then');
    s.findings.error(C.value, here, `Invalid value found at: "${here}" due to empty array. Expected array to contain at least one component.`);
  }
}

/** Switch: `cases` must be a non-empty map of component arrays. */
function switchComponent(node: JsonObject, pointer: string, s: Scope): void {
  const cases = node.cases;
  if (!isObject(cases)) return;
  const here = childPointer(pointer, 'cases');
  let count = 0;
  for (const key in cases) {
    count++;
    const branch = cases[key];
    if (!Array.isArray(branch)) {
      const at = childPointer(here, key);
      s.findings.error(C.type, at, msg.type(at, ['array'], jsonTypeOf(branch)));
    }
  }
  if (count === 0) {
    s.findings.error(C.emptyCases, here, `Invalid empty property found at: "${here}". The 'cases' property of a Switch component cannot be empty.`);
  }
}

/** Extra checks by component type. */
export const COMPONENT_CHECKS: ReadonlyMap<string, ComponentCheck> = new Map([
  ['Footer', footer],
  ['TextInput', textInput],
  ['Dropdown', dropdownChecks],
  ['CheckboxGroup', imageOrColor],
  ['RadioButtonsGroup', imageOrColor],
  ['If', ifComponent],
  ['Switch', switchComponent],
]);
