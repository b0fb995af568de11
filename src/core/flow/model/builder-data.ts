/**
 * Derive a screen's `data` declaration from example values (spec §1.4), so
 * that the schema and its mandatory `__example__` never disagree.
 * @module
 */
import type { DataDeclaration, DataSchema, JsonValue, ScreenData } from './screen.js';

/**
 * The schema of an example value. Arrays take the schema of their first item
 * (an empty array is declared as an array of strings); `null` is declared as
 * a string, since Meta's schema types have no null.
 * @example
 * schemaOf([{ id: '1', title: '08:00' }])
 * // { type: 'array', items: { type: 'object', properties: { id: {type:'string'}, title: {type:'string'} } } }
 */
export function schemaOf(example: JsonValue): DataSchema {
  if (Array.isArray(example)) {
    const first = example[0];
    return { type: 'array', items: first === undefined ? { type: 'string' } : schemaOf(first) };
  }
  if (example === null) return { type: 'string' };
  if (typeof example === 'object') {
    const properties: Record<string, DataSchema> = {};
    for (const [key, value] of Object.entries(example)) properties[key] = schemaOf(value);
    return { type: 'object', properties };
  }
  if (typeof example === 'number') return { type: 'number' };
  if (typeof example === 'boolean') return { type: 'boolean' };
  return { type: 'string' };
}

/**
 * A full data declaration from examples: one field per key, each with its
 * derived schema and the example as `__example__`.
 * @example
 * declareData({ name: 'Ann', age: 30 })
 * // { name: { type: 'string', __example__: 'Ann' }, age: { type: 'number', __example__: 30 } }
 */
export function declareData(examples: Record<string, JsonValue>): ScreenData {
  const out: ScreenData = {};
  for (const [key, example] of Object.entries(examples)) {
    const declaration: DataDeclaration = { ...schemaOf(example), __example__: example };
    out[key] = declaration;
  }
  return out;
}
