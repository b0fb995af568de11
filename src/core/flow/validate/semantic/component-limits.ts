/**
 * Consistency between a component's own properties: min/max pairs (Meta,
 * "Error codes" → "Min Max limit violation errors"; "Media upload") and
 * NavigationList items ("Components" → "NavigationList", ≥6.2); spec §1.9.
 * @module
 */
import type { Rule } from '../context.js';
import { isObject } from '../../json.js';
import type { FindingList } from '../../finding.js';
import type { ComponentVisit } from '../../walk.js';
import { knownComponents } from './flow-index.js';
import { DEFAULT_MAX_UPLOADS } from './action-payloads.js';

const pairs: Record<string, ReadonlyArray<readonly [string, string, number | undefined]>> = {
  PhotoPicker: [['min-uploaded-photos', 'max-uploaded-photos', DEFAULT_MAX_UPLOADS]],
  DocumentPicker: [['min-uploaded-documents', 'max-uploaded-documents', DEFAULT_MAX_UPLOADS]],
  CheckboxGroup: [['min-selected-items', 'max-selected-items', undefined]],
  TextInput: [['min-chars', 'max-chars', undefined]],
  ChipsSelector: [['min-selected-items', 'max-selected-items', undefined]],
};

function componentName(c: ComponentVisit): string {
  return typeof c.node.name === 'string' ? c.node.name : '';
}

/** Report `min > max` for one pair of static numeric properties. */
export function checkMinMax(findings: FindingList, c: ComponentVisit, minProp: string, maxProp: string, maxDefault?: number): void {
  const min = c.node[minProp];
  const rawMax = c.node[maxProp];
  const max = typeof rawMax === 'number' ? rawMax : rawMax === undefined ? maxDefault : undefined;
  if (typeof min !== 'number' || max === undefined || min <= max) return;
  findings.error(
    'MIN_VALUE_GREATER_THAN_MAX',
    `${c.pointer}/${minProp}`,
    `"${minProp}" cannot be greater than "${maxProp}" for ${c.type} component ${componentName(c)}.`,
  );
}

/**
 * Media pickers: min uploads ≤ max uploads (max defaults to 30).
 * TextInput: min-chars ≤ max-chars when both are written.
 * CheckboxGroup / ChipsSelector: min-selected ≤ max-selected, and
 * min-selected ≤ the number of static options (otherwise the input can
 * never be valid). Decision: max-selected above the option count is
 * harmless and not reported.
 */
export const checkComponentLimits: Rule = (ctx) => {
  const { findings } = ctx;
  for (const c of knownComponents(ctx)) {
    for (const [minProp, maxProp, maxDefault] of pairs[c.type] ?? []) checkMinMax(findings, c, minProp, maxProp, maxDefault);
    if (c.type !== 'CheckboxGroup' && c.type !== 'ChipsSelector') continue;
    const options = c.node['data-source'];
    const min = c.node['min-selected-items'];
    if (Array.isArray(options) && typeof min === 'number' && min > options.length) {
      const pointer = `${c.pointer}/min-selected-items`;
      findings.error(
        'INVALID_PROPERTY_VALUE',
        pointer,
        `Invalid value found for property 'min-selected-items' at ${pointer}: ${c.type} ${componentName(c)} has only ${options.length} options.`,
      );
    }
  }
};

/**
 * `on-click-action` is on the component or on every item, never both; at
 * most one item has a `badge`; items have no `end` when `media-size` is
 * `large`. Dynamic `list-items` are not checked (their content comes at run time).
 */
export const checkNavigationLists: Rule = (ctx) => {
  const { findings } = ctx;
  for (const c of knownComponents(ctx)) {
    if (c.type !== 'NavigationList') continue;
    const items = c.node['list-items'];
    if (!Array.isArray(items)) continue;
    const onComponent = c.node['on-click-action'] !== undefined;
    const large = c.node['media-size'] === 'large';
    let badges = 0;
    items.forEach((item, i) => {
      if (!isObject(item)) return;
      const pointer = `${c.pointer}/list-items/${i}`;
      if (onComponent && item['on-click-action'] !== undefined) {
        findings.error(
          'NOT_KEYWORD_SCHEMA_VALIDATION_FAILED',
          `${pointer}/on-click-action`,
          "Properties 'on-click-action' and ['list-items[].on-click-action'] must be present exclusively at NavigationList.",
        );
      } else if (!onComponent && item['on-click-action'] === undefined) {
        findings.error('MISSING_REQUIRED_TYPE_PROPERTY', pointer, "Required property 'on-click-action' is missing.");
      }
      if (item.badge !== undefined && ++badges === 2) {
        findings.error('INVALID_PROPERTY_VALUE', `${pointer}/badge`, `Invalid value found for property 'badge' at ${pointer}/badge: only one item of a NavigationList may have a badge.`);
      }
      if (large && item.end !== undefined) {
        findings.error('NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${pointer}/end`, "Properties 'end' and ['media-size: large'] must be present exclusively at NavigationList.");
      }
    });
  }
};
