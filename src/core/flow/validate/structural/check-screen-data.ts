/**
 * Screen `data` declarations: each field is a JSON-Schema fragment with a
 * `type`, arrays declare `items`, and the mandatory top-level `__example__`
 * matches the declared schema (Meta, "Flow JSON" → Declaring screen
 * properties; spec §1.4). Every Meta example declares `__example__` on every
 * field, so a missing one is an error.
 * @module
 */
import { childPointer } from '../../finding.js';
import { isObject, jsonTypeOf, type JsonObject } from '../../json.js';
import { DATA_SCHEMA_TYPES } from '../../spec/screen-spec.js';
import type { RuleContext } from '../context.js';
import { STRUCTURAL_CODES as C, msg } from './messages.js';

const schemaTypes: ReadonlySet<string> = new Set(DATA_SCHEMA_TYPES);
type Report = (pointer: string, message: string) => void;

/** Check the `data` declaration of every screen. */
export function checkScreenData(ctx: RuleContext): void {
  const screens = ctx.flow.screens;
  if (!Array.isArray(screens)) return;
  const report: Report = (pointer, message) => ctx.findings.error(C.screenData, pointer, message);
  for (let i = 0; i < screens.length; i++) {
    const screen: unknown = screens[i];
    if (!isObject(screen) || !isObject(screen.data)) continue;
    const data = screen.data;
    const dataPointer = `/screens/${i}/data`;
    for (const key in data) {
      const field = data[key];
      const pointer = childPointer(dataPointer, key);
      if (!isObject(field)) {
        report(pointer, `Invalid data model schema. Expected the declaration of '${key}' to be an object, but found ${jsonTypeOf(field)}.`);
        continue;
      }
      const valid = checkSchema(field, pointer, true, report);
      const example = field.__example__;
      if (example === undefined) {
        report(pointer, `${msg.missing('__example__')} in the declaration of '${key}': every data field needs an example.`);
      } else if (valid) {
        checkExample(field, example, `${pointer}/__example__`, report);
      }
    }
  }
}

/** Check one schema node; returns false when its examples cannot be checked against it. */
function checkSchema(node: JsonObject, pointer: string, top: boolean, report: Report): boolean {
  if (!top && node.__example__ !== undefined) {
    report(
      `${pointer}/__example__`,
      `Property '__example__' is allowed only as a top level property of data model. Invalid entry: '${pointer}'.`,
    );
  }
  const type = node.type;
  if (type === undefined) {
    report(pointer, "Missing the definition of property 'type'.");
    return false;
  }
  if (typeof type !== 'string') {
    report(`${pointer}/type`, "Expected the property 'type' to be of type string.");
    return false;
  }
  if (!schemaTypes.has(type)) {
    report(`${pointer}/type`, `Invalid data model schema. ${msg.enumValue(DATA_SCHEMA_TYPES)}`);
    return false;
  }
  if (type === 'array') return checkItems(node, pointer, report);
  if (type === 'object') return checkProperties(node, pointer, report);
  return true;
}

function checkItems(node: JsonObject, pointer: string, report: Report): boolean {
  const items = node.items;
  if (items === undefined) {
    report(pointer, "Missing the schema for property 'items' in array.");
    return false;
  }
  if (typeof items === 'boolean') return true;
  if (!isObject(items)) {
    report(`${pointer}/items`, "Expected the property 'items' to be of type boolean or object.");
    return false;
  }
  return checkSchema(items, `${pointer}/items`, false, report);
}

function checkProperties(node: JsonObject, pointer: string, report: Report): boolean {
  const properties = node.properties;
  if (properties === undefined) return true;
  const here = `${pointer}/properties`;
  if (!isObject(properties)) {
    report(here, "Expected the property 'properties' to be of type object.");
    return false;
  }
  let valid = true;
  for (const key in properties) {
    const sub = properties[key];
    const subPointer = childPointer(here, key);
    if (!isObject(sub)) {
      report(subPointer, `Invalid data model schema. Expected the declaration of '${key}' to be an object, but found ${jsonTypeOf(sub)}.`);
      valid = false;
    } else if (!checkSchema(sub, subPointer, false, report)) valid = false;
  }
  return valid;
}

function matches(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return true;
  }
}

/** Check an example value against a (valid) schema node, recursively through items and properties. */
function checkExample(schema: JsonObject, value: unknown, pointer: string, report: Report): void {
  const type = schema.type;
  if (!matches(type, value)) {
    report(
      pointer,
      `Invalid data model schema. Expected '__example__' value at '${pointer}' to be of type ${String(type)}, but found ${jsonTypeOf(value)}.`,
    );
    return;
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) checkExample(items, value[i], `${pointer}/${i}`, report);
  } else if (isObject(value) && isObject(schema.properties)) {
    const properties = schema.properties;
    for (const key in properties) {
      const sub = properties[key];
      if (value[key] !== undefined && isObject(sub)) checkExample(sub, value[key], childPointer(pointer, key), report);
    }
  }
}
