/**
 * Which components the person sees right now: `visible` resolved, If
 * conditions evaluated, the matching Switch case (or `default`) chosen, Form
 * containers flattened (spec §1.5, §1.9 If/Switch).
 * @module
 */
import { arrayProp, isObject, objectProp, type JsonObject } from '../flow/json.js';
import { isAtLeast } from '../flow/version.js';
import { asText, INPUT_TYPES } from './components.js';
import { evaluateCondition, resolveFlag, resolveValue, type Scope } from './scope.js';

/** A component on screen, with the Form that holds it (if any). */
export interface VisibleComponent {
  readonly node: JsonObject;
  readonly type: string;
  readonly form: JsonObject | undefined;
}

/** The outcome: visible components in order, plus inputs the version cannot show. */
export interface VisibleLayout {
  readonly components: readonly VisibleComponent[];
  /** Names of inputs outside a Form in a version < 4.0 (not rendered; spec §1.5). */
  readonly ignored: readonly string[];
}

function switchCase(node: JsonObject, scope: Scope): unknown[] {
  const cases = objectProp(node, 'cases') ?? {};
  const v = resolveValue(node.value, scope);
  const key = asText(v);
  const hit = cases[key];
  if (Array.isArray(hit)) return hit;
  const fallback = cases.default;
  return Array.isArray(fallback) ? fallback : [];
}

/** The visible components of a screen, in document order. */
export function visibleComponents(screen: JsonObject, scope: Scope): VisibleLayout {
  const components: VisibleComponent[] = [];
  const ignored: string[] = [];
  const formRequired = !isAtLeast(scope.doc.version, '4.0');
  const walk = (items: unknown[], form: JsonObject | undefined): void => {
    for (const node of items) {
      if (!isObject(node)) continue;
      const type = typeof node.type === 'string' ? node.type : '';
      if (type === 'Form') {
        walk(arrayProp(node, 'children') ?? [], node);
      } else if (type === 'If') {
        const branch = evaluateCondition(node.condition, scope) ? node.then : node.else;
        walk(Array.isArray(branch) ? branch : [], form);
      } else if (type === 'Switch') {
        walk(switchCase(node, scope), form);
      } else if (formRequired && !form && INPUT_TYPES.has(type)) {
        ignored.push(typeof node.name === 'string' ? node.name : type);
      } else if (resolveFlag(node.visible, scope, true)) {
        components.push({ node, type, form });
      }
    }
  };
  const layout = objectProp(screen, 'layout');
  walk(layout ? (arrayProp(layout, 'children') ?? []) : [], undefined);
  return { components, ignored };
}
