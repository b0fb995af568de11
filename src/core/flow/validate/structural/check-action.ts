/**
 * Action objects wherever they appear (`on-click-action`, `on-select-action`,
 * `on-unselect-action`, item actions): the action `name` allowed at that
 * property in that version, the keys of that action kind, required parts
 * (Meta, "Flow JSON" → Actions; spec §1.8).
 * @module
 */
import { childPointer } from '../../finding.js';
import { isDynamicValue } from '../../dynamic.js';
import type { JsonObject } from '../../json.js';
import { jsonTypeOf } from '../../json.js';
import { ACTION_SHAPES, ANY_ACTION_KEYS } from '../../spec/actions.js';
import type { ActionRule } from '../../spec/prop-spec.js';
import { isAtLeast } from '../../version.js';
import { checkRequired, checkValue, type Scope } from './check-value.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';

/** JSON Schema's `uri` format, loosely: a scheme, a colon, no spaces. */
const uriPattern = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** The action names a property allows in the scope's version, for the enum message. */
function allowedNames(rule: ActionRule, s: Scope): string[] {
  const names: string[] = [];
  for (const [name, since] of rule.names) if (isAtLeast(s.version, since)) names.push(name);
  return names;
}

/** Check the action object at `pointer`, the value of property `prop`. */
export function checkAction(rule: ActionRule, node: JsonObject, pointer: string, prop: string, s: Scope): void {
  const name = node.name;
  if (name === undefined) {
    s.findings.error(C.missing, pointer, msg.missing('name'));
    return;
  }
  if (typeof name !== 'string') {
    const here = childPointer(pointer, 'name');
    s.findings.error(C.type, here, msg.type(here, ['string'], jsonTypeOf(name)));
    return;
  }
  const since = rule.names.get(name);
  const shape = ACTION_SHAPES.get(name);
  if (since === undefined || shape === undefined || !isAtLeast(s.version, since)) {
    s.findings.error(C.enumValue, childPointer(pointer, 'name'), msg.enumValue(allowedNames(rule, s)));
    return;
  }
  for (const key in node) {
    if (key === 'name') continue;
    const spec = shape.props.get(key);
    if (spec !== undefined) checkValue(spec, node[key], pointer, key, s);
    else if (ANY_ACTION_KEYS.has(key)) {
      s.findings.error(C.notKeyword, childPointer(pointer, key), msg.otherActionKey(key, prop, name));
    } else {
      s.findings.error(C.unknownKey, childPointer(pointer, key), msg.unknownKey(key, pointer));
    }
  }
  checkRequired(shape, node, pointer, s);
  const url = node.url;
  if (name === 'open_url' && typeof url === 'string' && url.trim() !== '' && !uriPattern.test(url) && !isDynamicValue(url)) {
    s.findings.error(C.format, childPointer(pointer, 'url'), msg.format('url', 'uri'));
  }
}
